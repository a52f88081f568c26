"""The ledger core: examples of each rule, then any sequence of operations (Hypothesis)."""

import copy

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from internationale.treasury.ledger import (
    Account,
    Kind,
    Ledger,
    LedgerError,
    PendingState,
    Transfer,
    exchange,
)

T0 = 1_000_000


def fund() -> Ledger:
    ledger = Ledger()
    ledger.open(Account("pool:USD", "USD", debits_must_not_exceed_credits=True))
    ledger.open(Account("contributions:USD", "USD"))
    ledger.open(Account("draws:USD", "USD"))
    ledger.open(Account("pool:TRY", "TRY", debits_must_not_exceed_credits=True))
    ledger.open(Account("draws:TRY", "TRY"))
    ledger.open(Account("exchange:USD", "USD"))
    ledger.open(Account("exchange:TRY", "TRY"))
    ledger.apply(Transfer("c1", "contributions:USD", "pool:USD", 10_000), now=T0)
    return ledger


def test_a_retried_transfer_books_once() -> None:
    ledger = fund()
    ledger.apply(Transfer("c1", "contributions:USD", "pool:USD", 10_000), now=T0)
    assert ledger.balances["pool:USD"].credits_posted == 10_000
    with pytest.raises(LedgerError, match="exists_with_different_fields"):
        ledger.apply(Transfer("c1", "contributions:USD", "pool:USD", 9_999), now=T0)


def test_the_pool_never_goes_below_zero_counting_reservations() -> None:
    ledger = fund()
    ledger.apply(Transfer("r1", "pool:USD", "draws:USD", 7_000, Kind.PENDING), now=T0)
    with pytest.raises(LedgerError, match="exceeds_credits"):
        ledger.apply(Transfer("r2", "pool:USD", "draws:USD", 3_001, Kind.PENDING), now=T0)
    with pytest.raises(LedgerError, match="exceeds_credits"):
        ledger.apply(Transfer("d1", "pool:USD", "draws:USD", 3_001), now=T0)
    ledger.apply(Transfer("r2", "pool:USD", "draws:USD", 3_000, Kind.PENDING), now=T0)
    assert ledger.balances["pool:USD"].available_credit == 0
    assert "r2" in ledger.transfers
    assert "d1" not in ledger.transfers


def test_a_reservation_posts_in_part_and_releases_the_rest() -> None:
    ledger = fund()
    ledger.apply(Transfer("r1", "pool:USD", "draws:USD", 7_000, Kind.PENDING), now=T0)
    ledger.apply(Transfer("p1", kind=Kind.POST_PENDING, pending_id="r1", amount=5_000), now=T0)
    pool = ledger.balances["pool:USD"]
    assert (pool.debits_posted, pool.debits_pending, pool.available_credit) == (5_000, 0, 5_000)
    with pytest.raises(LedgerError, match="pending_transfer_already_posted"):
        ledger.apply(Transfer("v1", kind=Kind.VOID_PENDING, pending_id="r1"), now=T0)


def test_a_reservation_expires_and_cannot_be_posted_after() -> None:
    ledger = fund()
    ledger.apply(
        Transfer("r1", "pool:USD", "draws:USD", 7_000, Kind.PENDING, timeout_at=T0 + 60), now=T0
    )
    with pytest.raises(LedgerError, match="pending_transfer_already_expired"):
        ledger.apply(
            Transfer("p1", kind=Kind.POST_PENDING, pending_id="r1", amount=7_000), now=T0 + 61
        )
    assert ledger.pending["r1"] is PendingState.EXPIRED
    assert ledger.balances["pool:USD"].available_credit == 10_000
    assert ledger.breaches() == []


def test_a_reversal_mirrors_its_transfer_once() -> None:
    ledger = fund()
    ledger.apply(Transfer("d1", "pool:USD", "draws:USD", 2_500), now=T0)
    with pytest.raises(LedgerError, match="reversal_must_mirror"):
        ledger.apply(Transfer("x1", "draws:USD", "pool:USD", 2_000, reverses="d1"), now=T0)
    ledger.apply(Transfer("x1", "draws:USD", "pool:USD", 2_500, reverses="d1"), now=T0)
    with pytest.raises(LedgerError, match="already_reversed"):
        ledger.apply(Transfer("x2", "draws:USD", "pool:USD", 2_500, reverses="d1"), now=T0)
    assert ledger.balances["pool:USD"].available_credit == 10_000


def test_a_reversal_that_would_overdraw_is_refused() -> None:
    ledger = fund()
    ledger.apply(Transfer("d1", "pool:USD", "draws:USD", 10_000), now=T0)
    with pytest.raises(LedgerError, match="exceeds_credits"):
        ledger.apply(Transfer("x1", "pool:USD", "contributions:USD", 10_000, reverses="c1"), now=T0)


def usd_to_try(*, sold: int, bought: int) -> list[Transfer]:
    return exchange(
        id="fx1",
        source="pool:USD",
        target="pool:TRY",
        source_exchange="exchange:USD",
        target_exchange="exchange:TRY",
        sold=sold,
        bought=bought,
    )


def test_an_exchange_is_two_linked_transfers_with_exact_amounts() -> None:
    ledger = fund()
    legs = usd_to_try(sold=1_000, bought=34_150)
    ledger.apply_linked(legs, now=T0)
    assert ledger.balances["pool:TRY"].credits_posted == 34_150
    assert ledger.balances["pool:USD"].available_credit == 9_000
    assert ledger.breaches() == []


def test_a_refused_leg_undoes_the_whole_exchange() -> None:
    ledger = fund()
    before = copy.deepcopy(ledger)
    legs = usd_to_try(sold=1_000, bought=0)
    with pytest.raises(LedgerError, match="amount_must_be_positive"):
        ledger.apply_linked(legs, now=T0)
    assert ledger == before


def test_currencies_never_mix_in_one_transfer() -> None:
    ledger = fund()
    with pytest.raises(LedgerError, match="currencies_must_match"):
        ledger.apply(Transfer("m1", "pool:USD", "draws:TRY", 100), now=T0)


def test_breaches_name_a_balance_changed_behind_the_ledgers_back() -> None:
    ledger = fund()
    ledger.balances["pool:USD"].credits_posted += 1
    assert "pool:USD: balance differs from its transfers" in ledger.breaches()
    assert "USD: debits and credits differ" in ledger.breaches()


ACCOUNTS = ["pool", "contributions", "draws", "custody"]
amounts = st.integers(min_value=-5, max_value=5_000)


class LedgerMachine(RuleBasedStateMachine):
    """Random operations, including retries and wrong ones; after each, every invariant
    holds, and a refused operation leaves the ledger exactly as it was."""

    def __init__(self) -> None:
        super().__init__()
        self.ledger = Ledger()
        for name in ACCOUNTS:
            for currency in ("USD", "BDT"):
                self.ledger.open(
                    Account(
                        f"{name}:{currency}",
                        currency,
                        debits_must_not_exceed_credits=name == "pool",
                    )
                )
        self.now = T0
        self.count = 0

    def next_id(self) -> str:
        self.count += 1
        return f"t{self.count}"

    def attempt(self, transfers: list[Transfer]) -> None:
        before = copy.deepcopy(self.ledger)
        try:
            self.ledger.apply_linked(transfers, now=self.now)
        except LedgerError:
            assert self.ledger.balances == before.balances
            assert self.ledger.transfers == before.transfers

    @rule(
        debit=st.sampled_from(ACCOUNTS),
        credit=st.sampled_from(ACCOUNTS),
        currency=st.sampled_from(["USD", "BDT"]),
        amount=amounts,
        kind=st.sampled_from([Kind.POSTED, Kind.PENDING]),
        timeout=st.none() | st.integers(min_value=1, max_value=100),
    )
    def move(
        self, debit: str, credit: str, currency: str, amount: int, kind: Kind, timeout: int | None
    ) -> None:
        self.attempt(
            [
                Transfer(
                    self.next_id(),
                    f"{debit}:{currency}",
                    f"{credit}:{currency}",
                    amount,
                    kind,
                    timeout_at=self.now + timeout if timeout and kind is Kind.PENDING else None,
                )
            ]
        )

    @precondition(lambda self: self.ledger.pending)
    @rule(data=st.data(), post=st.booleans(), amount=amounts)
    def close(self, data: st.DataObject, post: bool, amount: int) -> None:
        pending_id = data.draw(st.sampled_from(sorted(self.ledger.pending)))
        kind = Kind.POST_PENDING if post else Kind.VOID_PENDING
        self.attempt(
            [
                Transfer(
                    self.next_id(), kind=kind, pending_id=pending_id, amount=amount if post else 0
                )
            ]
        )

    @precondition(lambda self: self.ledger.order)
    @rule(data=st.data())
    def reverse(self, data: st.DataObject) -> None:
        original = self.ledger.transfers[data.draw(st.sampled_from(self.ledger.order))]
        debit, credit = self.ledger._accounts_of(original)
        self.attempt(
            [Transfer(self.next_id(), credit, debit, original.amount, reverses=original.id)]
        )

    @precondition(lambda self: self.ledger.order)
    @rule(data=st.data(), change=st.booleans())
    def retry(self, data: st.DataObject, change: bool) -> None:
        earlier = self.ledger.transfers[data.draw(st.sampled_from(self.ledger.order))]
        again = Transfer(
            earlier.id,
            earlier.debit,
            earlier.credit,
            earlier.amount + (1 if change else 0),
            earlier.kind,
            earlier.pending_id,
            earlier.timeout_at,
            earlier.reverses,
        )
        self.attempt([again])
        if not change:
            assert self.ledger.transfers[earlier.id] == earlier

    @rule(sold=amounts, bought=amounts)
    def exchange(self, sold: int, bought: int) -> None:
        self.attempt(
            exchange(
                id=self.next_id(),
                source="pool:USD",
                target="pool:BDT",
                source_exchange="custody:USD",
                target_exchange="custody:BDT",
                sold=sold,
                bought=bought,
            )
        )

    @rule(seconds=st.integers(min_value=1, max_value=60))
    def wait(self, seconds: int) -> None:
        self.now += seconds
        self.ledger.expire(now=self.now)

    @invariant()
    def every_invariant_holds(self) -> None:
        assert self.ledger.breaches() == []

    @invariant()
    def a_pool_is_never_overdrawn(self) -> None:
        for currency in ("USD", "BDT"):
            assert self.ledger.balances[f"pool:{currency}"].available_credit >= 0


LedgerMachine.TestCase.settings = settings(max_examples=150, stateful_step_count=40, deadline=None)
test_any_sequence_of_operations_keeps_every_invariant = LedgerMachine.TestCase
