"""The published criteria that score a draw request, in whole numbers from 0 to 100.

- urgency: from the days left until the money is needed (the table `URGENCY` below);
- need relative to means: the share of the cost the organization cannot cover itself,
  amount / (amount + means);
- strategic importance: the stewards' ratings from 1 to 5, scaled to 0..100 (50 until a
  steward has rated it).

The score is the weighted mean of the three with the fund's weights, rounded down. Integer
arithmetic only, so anyone can redo the computation by hand from what the page shows.
"""

from dataclasses import dataclass
from datetime import date

# (at most this many days left, urgency)
URGENCY = ((3, 100), (7, 80), (14, 60), (30, 40), (90, 20))
UNRATED_STRATEGY = 50


@dataclass(frozen=True)
class Score:
    urgency: int
    need: int
    strategy: int
    weights: tuple[int, int, int]
    ratings: int

    @property
    def total(self) -> int:
        wu, ws, wn = self.weights
        weight = wu + ws + wn
        if weight == 0:
            return 0
        return (wu * self.urgency + ws * self.strategy + wn * self.need) // weight

    @property
    def computation(self) -> str:
        """The formula with its numbers, e.g. '(3×80 + 2×50 + 2×67) ÷ 7 = 67'."""
        wu, ws, wn = self.weights
        return (
            f"({wu}×{self.urgency} + {ws}×{self.strategy} + {wn}×{self.need}) "
            f"÷ {wu + ws + wn} = {self.total}"
        )


def urgency(*, needed_by: date, today: date) -> int:
    days = (needed_by - today).days
    for limit, value in URGENCY:
        if days <= limit:
            return value
    return 0


def need(*, amount: int, means: int) -> int:
    """The share of the cost the organization cannot meet from its own means."""
    if amount <= 0:
        return 0
    return amount * 100 // (amount + max(means, 0))


def strategy(ratings: list[int]) -> int:
    if not ratings:
        return UNRATED_STRATEGY
    return (sum(ratings) - len(ratings)) * 100 // (4 * len(ratings))


def score(
    *,
    needed_by: date,
    today: date,
    amount: int,
    means: int,
    ratings: list[int],
    weights: tuple[int, int, int],
) -> Score:
    """`weights` are (urgency, strategy, need)."""
    return Score(
        urgency=urgency(needed_by=needed_by, today=today),
        need=need(amount=amount, means=means),
        strategy=strategy(ratings),
        weights=weights,
        ratings=len(ratings),
    )
