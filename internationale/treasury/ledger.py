"""The ledger's core, free of Django: exact double entry in integer minor units.

The model follows TigerBeetle's. An account holds one currency and four running totals
(debits and credits, pending and posted). A transfer moves a positive whole amount from the
account it debits to the account it credits, both in the same currency, so every transfer
balances to zero by construction; money changes currency only through two linked transfers
via exchange accounts, with both amounts recorded exactly (no rate is ever stored or
multiplied). A transfer is

- posted at once, or
- pending: it reserves the amount (counted against the limits below) until a later transfer
  posts it, in full or in part, voids it, or its timeout passes and it expires.

An account may refuse to let its debits exceed its credits (a pool that can never go below
zero, pending reservations included) or the reverse. Transfers are never changed: a mistake
is corrected by a reversal, a new transfer that names the one it undoes. Every transfer
carries an id chosen by the client; applying the same transfer again does nothing, and the
same id with other fields is refused, so a retried request never books twice.

`Ledger` applies transfers to balances held in memory; the treasury's models apply the same
rules to rows, and `Ledger.breaches()` is what `internationale treasury verify` checks.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum


class Kind(StrEnum):
    POSTED = "posted"
    PENDING = "pending"
    POST_PENDING = "post_pending"
    VOID_PENDING = "void_pending"


class PendingState(StrEnum):
    OPEN = "open"
    POSTED = "posted"
    VOIDED = "voided"
    EXPIRED = "expired"


class LedgerError(Exception):
    """A transfer the ledger refuses; `code` says why, and nothing was changed."""

    def __init__(self, code: str, transfer_id: str = "") -> None:
        super().__init__(f"{code}: {transfer_id}" if transfer_id else code)
        self.code = code
        self.transfer_id = transfer_id


@dataclass(frozen=True)
class Account:
    id: str
    currency: str
    debits_must_not_exceed_credits: bool = False
    credits_must_not_exceed_debits: bool = False


@dataclass
class Balance:
    debits_pending: int = 0
    debits_posted: int = 0
    credits_pending: int = 0
    credits_posted: int = 0

    @property
    def available_credit(self) -> int:
        """What a debit may still take from an account whose debits may not exceed its
        credits: posted credits less posted and reserved debits."""
        return self.credits_posted - self.debits_posted - self.debits_pending


@dataclass(frozen=True)
class Transfer:
    """One movement. For POST_PENDING and VOID_PENDING, `pending_id` names the reservation
    and `debit`/`credit` must be empty or equal to its accounts; `amount` is what is posted
    (at most the reserved amount; the rest is released)."""

    id: str
    debit: str = ""
    credit: str = ""
    amount: int = 0
    kind: Kind = Kind.POSTED
    pending_id: str = ""
    timeout_at: int | None = None  # for PENDING: when the reservation expires (seconds)
    reverses: str = ""


@dataclass
class _Undo:
    balances: dict[str, Balance]
    order_length: int
    pending: dict[str, PendingState]


@dataclass
class Ledger:
    accounts: dict[str, Account] = field(default_factory=dict)
    balances: dict[str, Balance] = field(default_factory=dict)
    transfers: dict[str, Transfer] = field(default_factory=dict)
    order: list[str] = field(default_factory=list)
    pending: dict[str, PendingState] = field(default_factory=dict)
    reversed_by: dict[str, str] = field(default_factory=dict)

    def open(self, account: Account) -> None:
        existing = self.accounts.get(account.id)
        if existing is not None and existing != account:
            raise LedgerError("account_exists_with_different_fields", account.id)
        self.accounts[account.id] = account
        self.balances.setdefault(account.id, Balance())

    def apply(self, transfer: Transfer, *, now: int) -> Transfer:
        """Apply one transfer; returns the stored transfer (the earlier one on a retry)."""
        return self.apply_linked([transfer], now=now)[0]

    def apply_linked(self, transfers: Sequence[Transfer], *, now: int) -> list[Transfer]:
        """Apply transfers that stand or fall together (the two legs of an exchange): all of
        them, or, when any is refused, none."""
        if len({t.id for t in transfers}) != len(transfers):
            raise LedgerError("linked_ids_not_unique")
        retried = [self.transfers.get(t.id) for t in transfers]
        if all(r is not None for r in retried):
            for transfer, earlier in zip(transfers, retried, strict=True):
                if earlier != transfer:
                    raise LedgerError("exists_with_different_fields", transfer.id)
            return [r for r in retried if r is not None]
        if any(r is not None for r in retried):
            raise LedgerError("linked_partly_applied", transfers[0].id)
        self.expire(now=now)
        saved = self._snapshot(transfers)
        try:
            for transfer in transfers:
                self._apply_one(transfer)
        except LedgerError:
            self._restore(saved, transfers)
            raise
        return list(transfers)

    def expire(self, *, now: int) -> list[str]:
        """Release every open reservation whose timeout has passed; returns their ids."""
        expired = []
        for pending_id, state in self.pending.items():
            transfer = self.transfers[pending_id]
            if (
                state is PendingState.OPEN
                and transfer.timeout_at is not None
                and transfer.timeout_at <= now
            ):
                self._release(transfer)
                self.pending[pending_id] = PendingState.EXPIRED
                expired.append(pending_id)
        return expired

    # -- applying ----------------------------------------------------------------------

    def _apply_one(self, transfer: Transfer) -> None:
        if transfer.id in self.transfers:
            raise LedgerError("linked_ids_not_unique", transfer.id)
        if not transfer.id:
            raise LedgerError("id_must_not_be_empty")
        if transfer.kind in (Kind.POST_PENDING, Kind.VOID_PENDING):
            self._close_pending(transfer)
        else:
            self._move(transfer)
        self.transfers[transfer.id] = transfer
        self.order.append(transfer.id)

    def _move(self, transfer: Transfer) -> None:
        if transfer.pending_id or (
            transfer.timeout_at is not None and transfer.kind is not Kind.PENDING
        ):
            raise LedgerError("fields_not_allowed_for_kind", transfer.id)
        if transfer.amount <= 0:
            raise LedgerError("amount_must_be_positive", transfer.id)
        debit, credit = self._pair(transfer)
        if transfer.reverses:
            self._check_reversal(transfer)
        if transfer.kind is Kind.PENDING:
            debit.debits_pending += transfer.amount
            credit.credits_pending += transfer.amount
            self.pending[transfer.id] = PendingState.OPEN
        else:
            debit.debits_posted += transfer.amount
            credit.credits_posted += transfer.amount
        self._check_limits(transfer, (transfer.debit, transfer.credit))
        if transfer.reverses:
            self.reversed_by[transfer.reverses] = transfer.id

    def _close_pending(self, transfer: Transfer) -> None:
        reservation = self.transfers.get(transfer.pending_id)
        if reservation is None or reservation.kind is not Kind.PENDING:
            raise LedgerError("pending_transfer_not_found", transfer.id)
        state = self.pending[reservation.id]
        if state is not PendingState.OPEN:
            raise LedgerError(f"pending_transfer_already_{state.value}", transfer.id)
        if (transfer.debit and transfer.debit != reservation.debit) or (
            transfer.credit and transfer.credit != reservation.credit
        ):
            raise LedgerError("accounts_differ_from_pending", transfer.id)
        if transfer.reverses or transfer.timeout_at is not None:
            raise LedgerError("fields_not_allowed_for_kind", transfer.id)
        self._release(reservation)
        if transfer.kind is Kind.POST_PENDING:
            if not 0 < transfer.amount <= reservation.amount:
                raise LedgerError("amount_must_be_positive_and_within_pending", transfer.id)
            self.balances[reservation.debit].debits_posted += transfer.amount
            self.balances[reservation.credit].credits_posted += transfer.amount
            self.pending[reservation.id] = PendingState.POSTED
            self._check_limits(transfer, (reservation.debit, reservation.credit))
        else:
            if transfer.amount not in (0, reservation.amount):
                raise LedgerError("void_amount_must_be_zero_or_pending", transfer.id)
            self.pending[reservation.id] = PendingState.VOIDED

    def _release(self, reservation: Transfer) -> None:
        self.balances[reservation.debit].debits_pending -= reservation.amount
        self.balances[reservation.credit].credits_pending -= reservation.amount

    def _pair(self, transfer: Transfer) -> tuple[Balance, Balance]:
        debit = self.accounts.get(transfer.debit)
        credit = self.accounts.get(transfer.credit)
        if debit is None or credit is None:
            raise LedgerError("account_not_found", transfer.id)
        if debit.id == credit.id:
            raise LedgerError("accounts_must_be_different", transfer.id)
        if debit.currency != credit.currency:
            raise LedgerError("currencies_must_match", transfer.id)
        return self.balances[debit.id], self.balances[credit.id]

    def _check_reversal(self, transfer: Transfer) -> None:
        original = self.transfers.get(transfer.reverses)
        if original is None or original.kind not in (Kind.POSTED, Kind.POST_PENDING):
            raise LedgerError("reversed_transfer_not_found", transfer.id)
        if transfer.reverses in self.reversed_by:
            raise LedgerError("transfer_already_reversed", transfer.id)
        debit, credit = self._accounts_of(original)
        if (transfer.debit, transfer.credit, transfer.amount, transfer.kind) != (
            credit,
            debit,
            original.amount,
            Kind.POSTED,
        ):
            raise LedgerError("reversal_must_mirror_the_transfer", transfer.id)

    def _accounts_of(self, transfer: Transfer) -> tuple[str, str]:
        if transfer.kind is Kind.POST_PENDING:
            reservation = self.transfers[transfer.pending_id]
            return reservation.debit, reservation.credit
        return transfer.debit, transfer.credit

    def _check_limits(self, transfer: Transfer, account_ids: Iterable[str]) -> None:
        for account_id in account_ids:
            account, balance = self.accounts[account_id], self.balances[account_id]
            if account.debits_must_not_exceed_credits and balance.available_credit < 0:
                raise LedgerError("exceeds_credits", transfer.id)
            if account.credits_must_not_exceed_debits and (
                balance.credits_posted + balance.credits_pending > balance.debits_posted
            ):
                raise LedgerError("exceeds_debits", transfer.id)

    def _snapshot(self, transfers: Sequence[Transfer]) -> "_Undo":
        """What applying `transfers` may change, to put back if one is refused: the
        balances of the accounts they name (or their reservations name), and the states of
        the reservations they close. Only these, so a long batch stays linear."""
        accounts: set[str] = set()
        for transfer in transfers:
            accounts.update((transfer.debit, transfer.credit))
            reservation = self.transfers.get(transfer.pending_id)
            if reservation is not None:
                accounts.update((reservation.debit, reservation.credit))
        return _Undo(
            balances={a: replace(self.balances[a]) for a in accounts if a in self.balances},
            order_length=len(self.order),
            pending={
                t.pending_id: self.pending[t.pending_id]
                for t in transfers
                if t.pending_id in self.pending
            },
        )

    def _restore(self, undo: "_Undo", transfers: Sequence[Transfer]) -> None:
        self.balances.update(undo.balances)
        for transfer_id in self.order[undo.order_length :]:
            self.transfers.pop(transfer_id, None)
            self.pending.pop(transfer_id, None)
        del self.order[undo.order_length :]
        for transfer in transfers:
            # A reservation refused part-way may have been marked open before its limit check.
            self.pending.pop(transfer.id, None)
        self.pending.update(undo.pending)
        for transfer in transfers:
            if transfer.reverses and self.reversed_by.get(transfer.reverses) == transfer.id:
                del self.reversed_by[transfer.reverses]

    # -- checking ----------------------------------------------------------------------

    def breaches(self) -> list[str]:
        """Every invariant that does not hold, in words; empty when the ledger is sound.

        Balances must equal what the transfers, replayed in order, give; each currency's
        debits must equal its credits, posted and pending alike; no account may pass its
        limit; and no reservation may be open past its closing."""
        problems = []
        replay = replayed_balances(self)
        for account_id, balance in self.balances.items():
            if replay.get(account_id, Balance()) != balance:
                problems.append(f"{account_id}: balance differs from its transfers")
        totals: dict[str, list[int]] = {}
        for account_id, balance in self.balances.items():
            currency = self.accounts[account_id].currency
            sums = totals.setdefault(currency, [0, 0, 0, 0])
            sums[0] += balance.debits_posted
            sums[1] += balance.credits_posted
            sums[2] += balance.debits_pending
            sums[3] += balance.credits_pending
        for currency, (dp, cp, dpend, cpend) in totals.items():
            if dp != cp or dpend != cpend:
                problems.append(f"{currency}: debits and credits differ")
        for account_id, account in self.accounts.items():
            balance = self.balances[account_id]
            if account.debits_must_not_exceed_credits and balance.available_credit < 0:
                problems.append(f"{account_id}: debits exceed credits")
            if account.credits_must_not_exceed_debits and (
                balance.credits_posted + balance.credits_pending > balance.debits_posted
            ):
                problems.append(f"{account_id}: credits exceed debits")
            if min(balance.debits_pending, balance.credits_pending) < 0:
                problems.append(f"{account_id}: negative pending amount")
        return problems


def replayed_balances(ledger: Ledger) -> dict[str, Balance]:
    """Balances recomputed from nothing but the transfers, in the order they were applied."""
    balances: dict[str, Balance] = {a: Balance() for a in ledger.accounts}
    open_pending: dict[str, Transfer] = {}
    for transfer_id in ledger.order:
        transfer = ledger.transfers[transfer_id]
        if transfer.kind is Kind.POSTED:
            balances[transfer.debit].debits_posted += transfer.amount
            balances[transfer.credit].credits_posted += transfer.amount
        elif transfer.kind is Kind.PENDING:
            balances[transfer.debit].debits_pending += transfer.amount
            balances[transfer.credit].credits_pending += transfer.amount
            open_pending[transfer.id] = transfer
        else:
            reservation = open_pending.pop(transfer.pending_id)
            balances[reservation.debit].debits_pending -= reservation.amount
            balances[reservation.credit].credits_pending -= reservation.amount
            if transfer.kind is Kind.POST_PENDING:
                balances[reservation.debit].debits_posted += transfer.amount
                balances[reservation.credit].credits_posted += transfer.amount
    for pending_id, reservation in open_pending.items():
        if ledger.pending.get(pending_id) is PendingState.EXPIRED:
            balances[reservation.debit].debits_pending -= reservation.amount
            balances[reservation.credit].credits_pending -= reservation.amount
    return balances


def exchange(
    *,
    id: str,
    source: str,
    target: str,
    source_exchange: str,
    target_exchange: str,
    sold: int,
    bought: int,
) -> list[Transfer]:
    """The two linked transfers of a currency exchange: `sold` minor units leave `source`
    for the exchange account of their currency, and `bought` minor units of the other
    currency come from its exchange account to `target`. Apply with `apply_linked`."""
    return [
        Transfer(id=f"{id}:sell", debit=source, credit=source_exchange, amount=sold),
        Transfer(id=f"{id}:buy", debit=target_exchange, credit=target, amount=bought),
    ]
