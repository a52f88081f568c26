"""Re-checking a fund's ledger from its rows: what `internationale treasury verify` runs.

Nothing here trusts the running totals. The transfers are replayed in the order they were
booked through a fresh `ledger.Ledger`, which refuses anything the rules forbid (an
overdraft of a holding account at any moment, a reservation closed twice, a reversal that
does not mirror its transfer); the replayed balances, the sums of the entries and the
accounts' stored totals must all agree; every currency must balance to zero; and every
transfer must have exactly one audit event that tells the same story.
"""

from collections import defaultdict

from django.db.models import Sum

from internationale.core.models import AuditEvent
from internationale.treasury import ledger
from internationale.treasury.booking import AUDIT_VERB, account_spec, as_core, balance_of
from internationale.treasury.models import (
    Account,
    Category,
    Contribution,
    Draw,
    DrawState,
    Entry,
    Fund,
    Side,
    Transfer,
    TransferKind,
)


def verify_fund(fund: Fund) -> list[str]:
    """Every breach of the fund's ledger, in words; empty when it is sound."""
    accounts = {a.pk: a for a in Account.objects.filter(fund=fund)}
    codes = {pk: a.code for pk, a in accounts.items()}
    problems: list[str] = []
    core = ledger.Ledger()
    for account in accounts.values():
        core.open(account_spec(account))
    transfers = list(
        Transfer.objects.filter(fund=fund).select_related("pending", "reverses").order_by("id")
    )
    for row in transfers:
        if row.debit_id not in codes or row.credit_id not in codes:
            problems.append(f"{row.key}: an account of another fund")
            continue
        try:
            # Expiries are booked as explicit voids, so the replay never lets time pass.
            core.apply(as_core(row, codes), now=0)
        except ledger.LedgerError as error:
            problems.append(f"{row.key}: refused on replay ({error.code})")
            continue
        if row.kind in (TransferKind.POST_PENDING, TransferKind.VOID_PENDING):
            reservation = row.pending
            if reservation is None or (row.debit_id, row.credit_id) != (
                reservation.debit_id,
                reservation.credit_id,
            ):
                problems.append(f"{row.key}: accounts differ from its reservation")
    problems += core.breaches()
    problems += _balances_agree(fund, accounts, core)
    problems += _audit_trail(fund, transfers)
    problems += _records(fund)
    return problems


def _balances_agree(fund: Fund, accounts: dict[int, Account], core: ledger.Ledger) -> list[str]:
    problems = []
    sums: dict[int, ledger.Balance] = defaultdict(ledger.Balance)
    for row in (
        Entry.objects.filter(transfer__fund=fund)
        .values("account", "side", "pending")
        .annotate(total=Sum("amount"))
    ):
        balance = sums[row["account"]]
        name = ("debits_" if row["side"] == Side.DEBIT else "credits_") + (
            "pending" if row["pending"] else "posted"
        )
        setattr(balance, name, getattr(balance, name) + row["total"])
    for pk, account in accounts.items():
        stored = balance_of(account)
        if core.balances[account.code] != stored:
            problems.append(f"{account.code}: stored totals differ from the replayed transfers")
        if sums[pk] != stored:
            problems.append(f"{account.code}: stored totals differ from the sum of its entries")
    sides: dict[int, dict[str, int]] = defaultdict(dict)
    for transfer_id, side, total in (
        Entry.objects.filter(transfer__fund=fund)
        .values("transfer", "side")
        .annotate(total=Sum("amount"))
        .values_list("transfer", "side", "total")
    ):
        sides[transfer_id][side] = total
    for transfer_id, totals in sides.items():
        if totals.get(Side.DEBIT, 0) != totals.get(Side.CREDIT, 0):
            problems.append(f"transfer {transfer_id}: its entries do not balance")
    return problems


def _audit_trail(fund: Fund, transfers: list[Transfer]) -> list[str]:
    problems = []
    events: dict[str, list[AuditEvent]] = defaultdict(list)
    for event in AuditEvent.objects.filter(
        verb=AUDIT_VERB, target_type=Transfer._meta.label_lower, data__fund=fund.slug
    ):
        events[event.target_id].append(event)
    seen = set()
    for row in transfers:
        found = events.get(str(row.pk), [])
        seen.add(str(row.pk))
        if len(found) != 1:
            problems.append(f"{row.key}: {len(found)} audit events instead of one")
            continue
        data = found[0].data
        if (data.get("key"), data.get("amount"), data.get("kind")) != (
            row.key,
            row.amount,
            row.kind,
        ):
            problems.append(f"{row.key}: the audit event tells another story")
    for target_id in events.keys() - seen:
        problems.append(f"audit event for transfer {target_id}, which does not exist")
    return problems


def _records(fund: Fund) -> list[str]:
    """The fund's records agree with the ledger."""
    problems = []
    for contribution in Contribution.objects.filter(fund=fund).select_related("transfer__debit"):
        transfer = contribution.transfer
        if transfer.category != Category.CONTRIBUTION:
            problems.append(f"contribution {contribution.pk}: booked as another category")
        if (
            contribution.organization_id
            not in (
                transfer.organization_id,
                None,
            )
            or transfer.debit.organization_id != contribution.organization_id
        ):
            problems.append(f"contribution {contribution.pk}: booked for another organization")
    closings = {
        t.pending_id: t
        for t in Transfer.objects.filter(fund=fund, pending__isnull=False).only(
            "pending_id", "kind", "category"
        )
    }
    for draw in Draw.objects.filter(fund=fund).select_related("reservation", "payment"):
        reservation, closing = draw.reservation, closings.get(draw.reservation_id)
        if reservation is not None and reservation.amount != draw.amount:
            problems.append(f"draw {draw.pk}: reserved another amount than asked")
        if draw.state == DrawState.RESERVED:
            if reservation is None:
                problems.append(f"draw {draw.pk}: approved without a reservation")
            elif closing is not None and closing.category != Category.EXPIRY:
                problems.append(f"draw {draw.pk}: approved, but its reservation was closed")
        if draw.state == DrawState.RELEASED and (
            reservation is None or closing is None or closing.kind != TransferKind.VOID_PENDING
        ):
            problems.append(f"draw {draw.pk}: released, but its reservation was not")
        if draw.state == DrawState.PAID:
            payment = draw.payment
            if payment is None or payment.amount != draw.paid_amount:
                problems.append(f"draw {draw.pk}: paid amount differs from its payment")
            elif payment.pending_id != draw.reservation_id:
                problems.append(f"draw {draw.pk}: paid from another reservation")
            elif payment.amount > draw.amount:
                problems.append(f"draw {draw.pk}: paid more than was asked")
    legs: dict[str, list[Transfer]] = defaultdict(list)
    for transfer in Transfer.objects.filter(fund=fund, category=Category.EXCHANGE):
        legs[transfer.link].append(transfer)
    reversed_ids = set(
        Transfer.objects.filter(fund=fund, reverses__isnull=False).values_list(
            "reverses_id", flat=True
        )
    )
    for link, pair in legs.items():
        undone = {t.pk in reversed_ids for t in pair}
        if len(pair) != 2 or len(undone) != 1:
            problems.append(f"{link}: an exchange must have two legs, both standing or undone")
    return problems


def verify_all() -> dict[str, list[str]]:
    """Every fund's breaches by slug, and audit events of transfers of no fund."""
    results = {fund.slug: verify_fund(fund) for fund in Fund.objects.order_by("slug")}
    slugs = set(results)
    stray = AuditEvent.objects.filter(verb=AUDIT_VERB).exclude(data__fund__in=slugs)
    if stray.exists():
        results[""] = [f"{stray.count()} transfer audit events name no fund"]
    return results
