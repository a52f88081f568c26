"""The ledger written out: CSV (one row per transfer) and Beancount.

Beancount sees money from the fund's side: an account gains by what it is credited and
loses by what it is debited, so a contribution is negative on `Income:Contributions:...`
and positive on `Assets:Held:...`. Only money that moved is a Beancount transaction
(posted transfers and paid-out reservations); reservations still open are listed as
comments. Each account is opened with its one currency, and a balance assertion per account
closes the file, so `bean-check` re-checks the totals on its own.
"""

import csv
import re
from datetime import UTC, date, timedelta
from typing import TextIO

from internationale.core.money import Money
from internationale.treasury.access import hide_blind_requesters
from internationale.treasury.models import Account, AccountKind, Fund, Transfer, TransferKind

CSV_COLUMNS = [
    "booked_at",
    "key",
    "kind",
    "category",
    "debit",
    "credit",
    "amount",
    "currency",
    "minor_units",
    "organization",
    "reservation",
    "reverses",
    "expires_at",
    "memo",
]

_ROOTS = {
    AccountKind.HELD: "Assets:Held",
    AccountKind.CONTRIBUTIONS: "Income:Contributions",
    AccountKind.DRAWS: "Expenses:Draws",
    AccountKind.EXCHANGE: "Equity:Exchange",
}


def _transfers(fund: Fund) -> list[Transfer]:
    transfers = list(
        Transfer.objects.filter(fund=fund)
        .select_related("debit", "credit", "organization", "pending", "reverses")
        .order_by("id")
    )
    hide_blind_requesters(fund, transfers)
    return transfers


def write_csv(fund: Fund, out: TextIO) -> None:
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for row in _transfers(fund):
        money = Money(row.amount, row.debit.currency)
        writer.writerow(
            [
                row.booked_at.astimezone(UTC).isoformat(),
                row.key,
                row.kind,
                row.category,
                row.debit.code,
                row.credit.code,
                str(money.decimal),
                money.currency,
                row.amount,
                row.organization.name if row.organization else "",
                row.pending.key if row.pending else "",
                row.reverses.key if row.reverses else "",
                row.timeout_at.astimezone(UTC).isoformat() if row.timeout_at else "",
                row.memo,
            ]
        )


def beancount_account(account: Account) -> str:
    """'held:alpha-union:USD' → 'Assets:Held:Alpha-Union:USD'."""
    parts = account.code.split(":")[1:]
    # A component is letters, digits and dashes, starting with a capital or a digit.
    words = [[w for w in re.split(r"[^A-Za-z0-9]+", part) if w] or ["X"] for part in parts]
    named = ["-".join(word[:1].upper() + word[1:] for word in part) for part in words]
    return ":".join([_ROOTS[AccountKind(account.kind)], *named])


def _quoted(text: str) -> str:
    flat = " ".join(text.split())
    return '"' + flat.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_beancount(fund: Fund, out: TextIO) -> None:
    transfers = _transfers(fund)
    accounts = list(Account.objects.filter(fund=fund).order_by("code"))
    days = [t.booked_at.astimezone(UTC).date() for t in transfers]
    opened = min(
        [fund.opened_at.astimezone(UTC).date(), *days, *(a.opened_at.date() for a in accounts)]
    )
    out.write(f"; The ledger of {' '.join(fund.name.split())}, written by Internationale.\n")
    out.write(f"option {_quoted('title')} {_quoted(fund.name)}\n")
    out.write(f"option {_quoted('operating_currency')} {_quoted(fund.currency)}\n\n")
    for account in accounts:
        out.write(f"{opened:%Y-%m-%d} open {beancount_account(account)} {account.currency}\n")
    out.write("\n")
    names = {a.pk: beancount_account(a) for a in accounts}
    for row, day in zip(transfers, days, strict=True):
        if row.kind == TransferKind.PENDING:
            money = Money(row.amount, row.debit.currency)
            out.write(
                f"; {day:%Y-%m-%d} reserved {money.decimal} {money.currency} "
                f"from {names[row.debit_id]} ({row.key})\n"
            )
            continue
        if row.kind != TransferKind.POSTED and row.kind != TransferKind.POST_PENDING:
            continue
        money = Money(row.amount, row.debit.currency)
        title = str(row.get_category_display())
        title = title[:1].upper() + title[1:]
        out.write(f"{day:%Y-%m-%d} * {_quoted(title)} {_quoted(row.memo)}\n")
        out.write(f"  key: {_quoted(row.key)}\n")
        if row.organization is not None:
            out.write(f"  organization: {_quoted(row.organization.name)}\n")
        out.write(f"  {names[row.debit_id]}  -{money.decimal} {money.currency}\n")
        out.write(f"  {names[row.credit_id]}  {money.decimal} {money.currency}\n\n")
    closing: date = max(days, default=opened) + timedelta(days=1)
    for account in accounts:
        # The stored totals, not the sums above: bean-check then compares the two.
        money = Money(account.credits_posted - account.debits_posted, account.currency)
        out.write(
            f"{closing:%Y-%m-%d} balance {names[account.pk]}  {money.decimal} {money.currency}\n"
        )
