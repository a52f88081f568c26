"""Booking transfers into the database through the ledger core.

Only `treasury.actions` calls `book`. It locks the accounts a batch touches (row locks on
PostgreSQL; SQLite's transactions are IMMEDIATE, so writers queue), loads their balances and
the reservations and transfers the batch refers to into a `ledger.Ledger`, lets the core
apply the batch with its rules, then writes the transfers, their entries, one audit event
each and the new balances. A retried batch (same keys, same fields) writes nothing and
returns the transfers booked the first time.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import connections, router, transaction
from django.db.models import Field, Model
from django.utils.translation import gettext as _

from internationale.core.audit import SYSTEM
from internationale.core.models import AuditEvent
from internationale.network.models import Member, Organization
from internationale.treasury import ledger
from internationale.treasury.models import (
    Account,
    Category,
    Entry,
    Fund,
    Side,
    Transfer,
    TransferKind,
    when,
)

AUDIT_VERB = "treasury.transfer"


@dataclass(frozen=True)
class Posting:
    """One transfer to book, with what the fund records beside the ledger's fields."""

    transfer: ledger.Transfer
    category: Category
    organization: Organization | None = None
    memo: str = ""
    link: str = ""


def as_core(row: Transfer, codes: dict[int, str]) -> ledger.Transfer:
    """A stored transfer as the ledger core sees it."""
    closing = row.kind in (TransferKind.POST_PENDING, TransferKind.VOID_PENDING)
    return ledger.Transfer(
        id=row.key,
        debit="" if closing else codes[row.debit_id],
        credit="" if closing else codes[row.credit_id],
        amount=row.amount,
        kind=ledger.Kind(row.kind),
        pending_id=row.pending.key if row.pending_id and row.pending else "",
        timeout_at=when(row.timeout_at) if row.timeout_at else None,
        reverses=row.reverses.key if row.reverses_id and row.reverses else "",
    )


def account_spec(account: Account) -> ledger.Account:
    return ledger.Account(
        id=account.code,
        currency=account.currency,
        debits_must_not_exceed_credits=account.debits_must_not_exceed_credits,
        credits_must_not_exceed_debits=account.credits_must_not_exceed_debits,
    )


def balance_of(account: Account) -> ledger.Balance:
    return ledger.Balance(
        debits_pending=account.debits_pending,
        debits_posted=account.debits_posted,
        credits_pending=account.credits_pending,
        credits_posted=account.credits_posted,
    )


@dataclass(frozen=True, slots=True)
class Booked:
    """A transfer of a batch as stored: its key, its id, and whether an earlier call
    booked it (a retry, which wrote nothing now)."""

    key: str
    pk: int
    retried: bool


def book(
    actor: Member | None,
    fund: Fund,
    groups: Sequence[Sequence[Posting]],
    *,
    now: datetime,
    touch: Iterable[str] = (),
) -> list[Transfer]:
    """Book groups of linked postings (each group stands or falls alone within the batch,
    and the batch as a whole is one transaction). Returns the stored transfers in order;
    those booked by an earlier call (a retry) have `retried` set.

    Reservations past their time on the accounts involved (and on those in `touch`) are
    released first, each by a void transfer of category EXPIRY."""
    keys, existing, written = _book(actor, fund, groups, now=now, touch=touch)
    stored: dict[str, Transfer] = {}
    for key, row in existing.items():
        row.retried = True  # type: ignore[attr-defined]
        stored[key] = row
    for key, (pk, values, debit, credit) in written.items():
        # Positional values in the order of the model's columns: no query, no field lookups.
        made = Transfer.from_db(None, _TRANSFER_FIELD_NAMES, (pk, *values))
        made.debit, made.credit = debit, credit
        stored[key] = made
    return [stored[key] for key in keys]


def book_batch(
    actor: Member | None,
    fund: Fund,
    groups: Sequence[Sequence[Posting]],
    *,
    now: datetime,
) -> list[Booked]:
    """`book` for large batches whose callers need only keys and ids: no model instance is
    made for the transfers written."""
    keys, existing, written = _book(actor, fund, groups, now=now, touch=())
    found = {key: Booked(key, row.pk, True) for key, row in existing.items()}
    return [found.get(key) or Booked(key, written[key][0], False) for key in keys]


Written = tuple[int, tuple[Any, ...], Account, Account]


def _book(
    actor: Member | None,
    fund: Fund,
    groups: Sequence[Sequence[Posting]],
    *,
    now: datetime,
    touch: Iterable[str],
) -> tuple[list[str], dict[str, Transfer], dict[str, Written]]:
    """The keys of the batch in order, the transfers booked before under them, and the
    rows written now: (id, column values, debit account, credit account) by key."""
    postings = [posting for group in groups for posting in group]
    keys = [p.transfer.id for p in postings]
    if len(set(keys)) != len(keys):
        raise ValidationError(_("Each transfer of a batch needs its own key."))
    with transaction.atomic():
        referenced = _referenced(fund, postings)
        codes = _codes(postings, referenced) | set(touch)
        due = list(
            Transfer.objects.open_reservations()
            .filter(fund=fund, timeout_at__lte=now, debit__code__in=codes)
            .select_related("credit")
        )
        codes |= {row.credit.code for row in due}
        accounts = {
            a.code: a
            for a in Account.objects.select_for_update()
            .filter(fund=fund, code__in=codes)
            .order_by("id")
        }
        missing = codes - accounts.keys()
        if missing:
            raise ValidationError(_("The fund has no account %(code)s.") % {"code": min(missing)})
        # Most batches are new: look for their keys cheaply, and load only those found.
        found = stored_keys(fund, keys)
        existing = {
            t.key: t
            for t in Transfer.objects.filter(fund=fund, key__in=found).select_related(
                "pending", "reverses"
            )
        }
        by_id = {a.pk: a.code for a in accounts.values()}
        fresh_groups = _without_retries(groups, existing, by_id)
        if not fresh_groups and not due:
            return keys, existing, {}
        core = _load(accounts, [*referenced.values(), *due])
        expired_before = {k for k, s in core.pending.items() if s is ledger.PendingState.EXPIRED}
        core.expire(now=when(now))
        for group in fresh_groups:
            try:
                core.apply_linked([p.transfer for p in group], now=when(now))
            except ledger.LedgerError as error:
                raise ValidationError(refusal(error), code=error.code) from None
        expiries = [
            _expiry(core.transfers[key])
            for key, state in core.pending.items()
            if state is ledger.PendingState.EXPIRED and key not in expired_before
        ]
        fresh = expiries + [p for group in fresh_groups for p in group]
        written = _write(actor, fund, fresh, accounts, core, now=now)
        _save_balances(accounts.values(), core)
    return keys, existing, written


def _referenced(fund: Fund, postings: Iterable[Posting]) -> dict[str, Transfer]:
    """Reservations and reversed transfers the postings name, with their state."""
    names = {p.transfer.pending_id for p in postings} | {p.transfer.reverses for p in postings}
    names.discard("")
    return {
        t.key: t
        for t in Transfer.objects.filter(fund=fund, key__in=names).select_related(
            "pending", "debit", "credit"
        )
    }


def _codes(postings: Iterable[Posting], referenced: dict[str, Transfer]) -> set[str]:
    codes: set[str] = set()
    for posting in postings:
        transfer = posting.transfer
        codes.update(c for c in (transfer.debit, transfer.credit) if c)
        for name in (transfer.pending_id, transfer.reverses):
            row = referenced.get(name)
            if row is not None:
                origin = row.pending if row.pending_id and row.pending else row
                codes.update((origin.debit.code, origin.credit.code))
    return codes


def _without_retries(
    groups: Sequence[Sequence[Posting]], existing: dict[str, Transfer], codes: dict[int, str]
) -> list[Sequence[Posting]]:
    fresh = []
    for group in groups:
        stored = [existing.get(p.transfer.id) for p in group]
        if all(row is None for row in stored):
            fresh.append(group)
            continue
        for posting, row in zip(group, stored, strict=True):
            if row is None:
                raise ValidationError(refusal(ledger.LedgerError("linked_partly_applied")))
            if not _same(row, posting, codes):
                raise ValidationError(
                    refusal(ledger.LedgerError("exists_with_different_fields")),
                    code="exists_with_different_fields",
                )
    return fresh


def _same(row: Transfer, posting: Posting, codes: dict[int, str]) -> bool:
    wanted = posting.transfer
    closing = wanted.kind in (ledger.Kind.POST_PENDING, ledger.Kind.VOID_PENDING)
    if not closing and not {row.debit_id, row.credit_id} <= codes.keys():
        return False  # booked between other accounts than those asked for now
    stored = as_core(row, codes)
    if closing:
        stored = ledger.Transfer(
            id=stored.id,
            debit=wanted.debit and codes.get(row.debit_id, ""),
            credit=wanted.credit and codes.get(row.credit_id, ""),
            amount=stored.amount,
            kind=stored.kind,
            pending_id=stored.pending_id,
        )
    return stored == wanted and row.category == posting.category


def _load(accounts: dict[str, Account], known: list[Transfer]) -> ledger.Ledger:
    """A core holding the locked accounts and the transfers the batch refers to, with their
    state as it is now that the accounts are locked."""
    core = ledger.Ledger()
    for account in accounts.values():
        core.open(account_spec(account))
        core.balances[account.code] = balance_of(account)
    codes = {a.pk: a.code for a in accounts.values()}
    for row in known:
        if row.debit_id not in codes or row.credit_id not in codes:
            continue
        core.transfers[row.key] = as_core(row, codes)
        if row.kind == TransferKind.PENDING:
            core.pending[row.key] = _state(row)
        if row.kind in (TransferKind.POSTED, TransferKind.POST_PENDING):
            reversal = Transfer.objects.filter(reverses=row).values_list("key", flat=True).first()
            if reversal:
                core.reversed_by[row.key] = reversal
        if row.kind == TransferKind.POST_PENDING and row.pending is not None:
            # A reversal of a paid-out reservation needs the reservation's accounts.
            core.transfers[row.pending.key] = as_core(row.pending, codes)
    return core


def _state(row: Transfer) -> ledger.PendingState:
    closing = Transfer.objects.filter(pending=row).values_list("kind", "category").first()
    if closing is None:
        return ledger.PendingState.OPEN
    kind, category = closing
    if category == Category.EXPIRY:
        return ledger.PendingState.EXPIRED
    if kind == TransferKind.POST_PENDING:
        return ledger.PendingState.POSTED
    return ledger.PendingState.VOIDED


def _expiry(reservation: ledger.Transfer) -> Posting:
    return Posting(
        transfer=ledger.Transfer(
            id=f"{reservation.id}:expired",
            kind=ledger.Kind.VOID_PENDING,
            pending_id=reservation.id,
        ),
        category=Category.EXPIRY,
        memo="",
    )


def _write(
    actor: Member | None,
    fund: Fund,
    postings: list[Posting],
    accounts: dict[str, Account],
    core: ledger.Ledger,
    *,
    now: datetime,
) -> dict[str, Written]:
    """Insert the transfers, their entries and their audit events as plain rows."""
    written: dict[str, Written] = {}
    unsaved: list[tuple[Any, ...]] = []
    booked_by = actor if getattr(actor, "is_authenticated", False) else None
    actor_id = booked_by.pk if booked_by is not None else None
    pks: dict[str, int] = {}
    for posting in postings:
        transfer = posting.transfer
        reservation = core.transfers.get(transfer.pending_id) if transfer.pending_id else None
        debit = accounts[reservation.debit if reservation else transfer.debit]
        credit = accounts[reservation.credit if reservation else transfer.credit]
        names = (transfer.pending_id, transfer.reverses)
        if any(name in written and name not in pks for name in names):
            pks.update(_flush(unsaved, fund=fund))
        # In the order of TRANSFER_COLUMNS.
        values = (
            fund.pk,
            transfer.id,
            transfer.kind.value,
            posting.category.value,
            debit.pk,
            credit.pk,
            transfer.amount,
            _pk_of(transfer.pending_id, pks, fund),
            _pk_of(transfer.reverses, pks, fund),
            (
                datetime.fromtimestamp(transfer.timeout_at, tz=UTC)
                if transfer.timeout_at is not None
                else None
            ),
            posting.link,
            posting.organization.pk if posting.organization else None,
            posting.memo[:300],
            now,
            actor_id,
        )
        written[transfer.id] = (0, values, debit, credit)
        unsaved.append(values)
    pks.update(_flush(unsaved, fund=fund))
    written = {key: (pks[key], *rest) for key, (_, *rest) in written.items()}  # type: ignore[misc]
    entries = []
    for posting in postings:
        transfer = posting.transfer
        pk, _values, debit, credit = written[transfer.id]
        # An expiry's reservation is in the core's transfers; the expiry itself is not.
        reserved = core.transfers[transfer.pending_id].amount if transfer.pending_id else 0
        entries.extend(
            _entries(
                pk,
                kind=transfer.kind,
                debit=debit.pk,
                credit=credit.pk,
                amount=transfer.amount,
                reserved=reserved,
            )
        )
    insert_rows(Entry, ["transfer", "account", "side", "pending", "amount"], entries)
    target_type = Transfer._meta.label_lower
    actor_label = str(booked_by) if booked_by is not None else SYSTEM
    insert_rows(
        AuditEvent,
        [
            "occurred_at",
            "actor",
            "actor_label",
            "verb",
            "target_type",
            "target_id",
            "target_label",
            "data",
        ],
        [
            (
                now,
                actor_id,
                actor_label,
                AUDIT_VERB,
                target_type,
                str(pk),
                f"transfer {key}"[:200],
                {
                    "fund": fund.slug,
                    "key": key,
                    "kind": values[2],
                    "amount": values[6],
                    "currency": debit.currency,
                },
            )
            for key, (pk, values, debit, _credit) in written.items()
        ],
    )
    return written


def insert_rows(model: type[Model], names: list[str], rows: list[tuple[Any, ...]]) -> None:
    """Insert plain rows with one executemany: what `bulk_create` writes, without building
    a model instance per row (the ledger writes three rows per posting, in batches)."""
    if not rows:
        return
    connection = connections[router.db_for_write(model)]
    fields = [cast(Field[Any, Any], model._meta.get_field(name)) for name in names]
    quote = connection.ops.quote_name
    # Table and column names come from the model, never from input.
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
        quote(model._meta.db_table),
        ", ".join(quote(field.column) for field in fields),
        ", ".join(["%s"] * len(fields)),
    )
    # Integers, text, booleans and None go to every backend as they are; only the columns
    # of other types (dates, JSON) are prepared, value by value.
    prepared = [
        (i, field.get_db_prep_save)
        for i, field in enumerate(fields)
        if field.get_internal_type() not in _PLAIN_TYPES
    ]
    values: list[Any] = rows
    if prepared:
        values = []
        # A batch shares its moment of booking: prepare a value once while it repeats.
        last: dict[int, tuple[Any, Any]] = {}
        for row in rows:
            items = list(row)
            for i, prepare in prepared:
                value = items[i]
                if value is None:
                    continue
                seen = last.get(i)
                if seen is not None and seen[0] is value:
                    items[i] = seen[1]
                else:
                    items[i] = prepare(value, connection)
                    last[i] = (value, items[i])
            values.append(items)
    with connection.cursor() as cursor:
        cursor.executemany(sql, values)


_PLAIN_TYPES = {
    "AutoField",
    "BigAutoField",
    "BigIntegerField",
    "BooleanField",
    "CharField",
    "ForeignKey",
    "IntegerField",
    "OneToOneField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "SlugField",
    "SmallIntegerField",
    "TextField",
}


_TRANSFER_FOREIGN_KEYS = {
    "fund",
    "debit",
    "credit",
    "pending",
    "reverses",
    "organization",
    "booked_by",
}
TRANSFER_COLUMNS = [
    "fund",
    "key",
    "kind",
    "category",
    "debit",
    "credit",
    "amount",
    "pending",
    "reverses",
    "timeout_at",
    "link",
    "organization",
    "memo",
    "booked_at",
    "booked_by",
]


# The columns `_write` gives positionally, in the model's order (a test checks it).
_TRANSFER_ATTNAMES = [
    f"{name}_id" if name in _TRANSFER_FOREIGN_KEYS else name for name in TRANSFER_COLUMNS
]


_TRANSFER_FIELD_NAMES = ["id", *_TRANSFER_ATTNAMES]


def _flush(unsaved: list[tuple[Any, ...]], *, fund: Fund) -> dict[str, int]:
    """Insert the transfers' rows, then read their ids back (one query); by key."""
    if not unsaved:
        return {}
    before = last_id(Transfer)
    insert_rows(Transfer, TRANSFER_COLUMNS, unsaved)
    mine = {values[1] for values in unsaved}
    unsaved.clear()
    return {key: pk for key, pk in ids_after(Transfer, before, fund=fund.pk) if key in mine}


def stored_keys(fund: Fund, keys: Sequence[str]) -> list[str]:
    """Which of `keys` the fund has booked already. Written by hand because an ORM filter
    over hundreds of keys costs more to build than to run."""
    connection = connections[router.db_for_read(Transfer)]
    quote = connection.ops.quote_name
    found: list[str] = []
    with connection.cursor() as cursor:
        for start in range(0, len(keys), _KEYS_PER_QUERY):
            chunk = keys[start : start + _KEYS_PER_QUERY]
            # Table and column names come from the model, never from input.
            cursor.execute(
                "SELECT {key} FROM {table} WHERE {fund} = %s AND {key} IN ({marks})".format(  # noqa: S608
                    key=quote("key"),
                    table=quote(Transfer._meta.db_table),
                    fund=quote("fund_id"),
                    marks=", ".join(["%s"] * len(chunk)),
                ),
                [fund.pk, *chunk],
            )
            found.extend(key for (key,) in cursor.fetchall())
    return found


_KEYS_PER_QUERY = 5_000


def last_id(model: type[Model]) -> int:
    """The highest id of `model`'s table now: rows inserted after it, in this transaction,
    have higher ids (SQLite's rowids and PostgreSQL's sequences only grow)."""
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    table, column = quote(model._meta.db_table), quote(model._meta.pk.column)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX({column}), 0) FROM {table}")  # noqa: S608
        return int(cursor.fetchone()[0])


def ids_after(model: type[Model], last: int, *, fund: int) -> list[tuple[Any, int]]:
    """(key, id) of the fund's rows of `model` with an id above `last`: the rows just
    inserted, and on PostgreSQL perhaps a few that other transactions committed meanwhile
    (callers pick theirs by key)."""
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    key = "key" if model is Transfer else "transfer_id"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT {}, {} FROM {} WHERE {} > %s AND {} = %s".format(  # noqa: S608
                quote(key),
                quote(model._meta.pk.column),
                quote(model._meta.db_table),
                quote(model._meta.pk.column),
                quote("fund_id"),
            ),
            [last, fund],
        )
        return cursor.fetchall()


def _pk_of(key: str, pks: dict[str, int], fund: Fund) -> int | None:
    if not key:
        return None
    if key in pks:
        return pks[key]
    return Transfer.objects.filter(fund=fund, key=key).values_list("pk", flat=True).first()


def _entries(
    transfer: int, *, kind: str, debit: int, credit: int, amount: int, reserved: int
) -> list[tuple[int, int, str, bool, int]]:
    """The entries of a transfer, as (transfer, account, side, pending, amount): two for a
    posted or reserved amount; a post or void also releases its reservation (of
    `reserved`) with two negative pending entries."""
    entries = []
    if kind in (TransferKind.POST_PENDING, TransferKind.VOID_PENDING):
        entries += [
            (transfer, debit, Side.DEBIT.value, True, -reserved),
            (transfer, credit, Side.CREDIT.value, True, -reserved),
        ]
    if kind != TransferKind.VOID_PENDING:
        pending = kind == TransferKind.PENDING
        entries += [
            (transfer, debit, Side.DEBIT.value, pending, amount),
            (transfer, credit, Side.CREDIT.value, pending, amount),
        ]
    return entries


def _save_balances(accounts: Iterable[Account], core: ledger.Ledger) -> None:
    changed = []
    for account in accounts:
        balance = core.balances[account.code]
        if balance != balance_of(account):
            account.debits_pending = balance.debits_pending
            account.debits_posted = balance.debits_posted
            account.credits_pending = balance.credits_pending
            account.credits_posted = balance.credits_posted
            changed.append(account)
    Account.objects.bulk_update(
        changed, ["debits_pending", "debits_posted", "credits_pending", "credits_posted"]
    )


def refusal(error: ledger.LedgerError) -> str:
    """The ledger's refusal in the reader's words."""
    messages = {
        "exceeds_credits": _("The fund does not have that much available in this currency."),
        "exceeds_debits": _("This account cannot receive more than it has given."),
        "exists_with_different_fields": _(
            "This key was already used for a different transfer; nothing was booked."
        ),
        "linked_partly_applied": _(
            "Part of this exchange was booked before with the same key; nothing was booked."
        ),
        "pending_transfer_already_posted": _("This reservation was already paid out."),
        "pending_transfer_already_voided": _("This reservation was already released."),
        "pending_transfer_already_expired": _("This reservation has expired."),
        "amount_must_be_positive": _("The amount must be more than zero."),
        "amount_must_be_positive_and_within_pending": _(
            "The amount paid out must be more than zero and at most the amount reserved."
        ),
        "transfer_already_reversed": _("This transfer was already corrected."),
        "currencies_must_match": _("Both accounts of a transfer must hold the same currency."),
    }
    return messages.get(error.code, _("The ledger refused this transfer (%(code)s).")) % {
        "code": error.code
    }
