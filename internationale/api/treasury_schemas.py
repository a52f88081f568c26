"""Shapes of the treasury API.

Money is never a float: it goes in as `{"amount": "12.50", "currency": "USD"}` (decimal
text in major units, no more decimals than the currency has) and comes out with the exact
integer of minor units beside it, `{"amount": "12.50", "currency": "USD", "minor": 1250}`.
"""

from datetime import date, datetime
from typing import Literal

from ninja import Schema


class MoneyIn(Schema):
    amount: str
    currency: str


class MoneyOut(Schema):
    amount: str
    currency: str
    minor: int


class StewardOut(Schema):
    id: int
    display_name: str
    organization: str


class BalanceOut(Schema):
    currency: str
    held: MoneyOut
    reserved: MoneyOut
    available: MoneyOut
    custodian: str | None


class PledgeOut(Schema):
    id: int
    organization: str
    percent: str
    period: str
    declared_income: MoneyOut
    per_period: MoneyOut
    starts_on: date
    cancelled_on: date | None


class PledgeStatusOut(Schema):
    pledge: PledgeOut
    periods: int
    expected: MoneyOut
    arrived: MoneyOut
    shortfall: MoneyOut
    late: bool


class ReportStatusOut(Schema):
    draw: int
    organization: str
    paid: MoneyOut
    report_due: date | None
    reported: bool
    overdue: bool


class ProposalOut(Schema):
    id: int
    kind: str
    state: str
    rules: dict[str, object]
    stewards: list[StewardOut]
    reason: str
    proposed_by: str
    approvals: int
    objections: int
    created_at: datetime
    decided_at: datetime | None


class FundOut(Schema):
    slug: str
    name: str
    network: str
    currency: str
    rules: dict[str, object]
    emergency_limit: MoneyOut
    stewards: list[StewardOut]
    you_are_steward: bool
    balances: list[BalanceOut]
    pledges: list[PledgeStatusOut]
    reports: list[ReportStatusOut]
    open_proposals: list[ProposalOut]


class TransferOut(Schema):
    id: int
    key: str
    kind: str
    category: str
    debit: str
    credit: str
    money: MoneyOut
    organization: str | None
    reservation: str | None
    reverses: str | None
    expires_at: datetime | None
    memo: str
    booked_at: datetime


class LedgerOut(Schema):
    count: int
    page: int
    pages: int
    transfers: list[TransferOut]


class ScoreOut(Schema):
    urgency: int
    need: int
    strategy: int
    weights: dict[str, int]
    ratings: int
    total: int
    computation: str


class VoteOut(Schema):
    round: int
    steward: str
    choice: str
    strategy: int
    reason: str
    after_decision: bool
    cast_at: datetime


class DrawOut(Schema):
    id: int
    fund: str
    organization: str | None
    kind: str
    money: MoneyOut
    means: MoneyOut
    needed_by: date
    blind: bool
    emergency: bool
    state: str
    round: int
    submitted_at: datetime
    decided_at: datetime | None
    paid: MoneyOut
    report_due: date | None
    narrative: str | None
    evidence: str | None
    score: ScoreOut
    approvals_needed: int
    votes: list[VoteOut]


class ContributionIn(Schema):
    key: str
    organization: str
    money: MoneyIn
    received_on: date
    pledge: int | None = None
    note: str = ""
    held_by: str | None = None


class ContributionOut(Schema):
    id: int
    key: str
    organization: str
    money: MoneyOut
    received_on: date
    pledge: int | None
    note: str
    transfer: int


class OtherIn(Schema):
    organization: str
    kind: str
    description: str
    given_on: date
    hours: int | None = None


class OtherOut(Schema):
    id: int
    organization: str
    kind: str
    description: str
    hours: int | None
    given_on: date


class PledgeIn(Schema):
    organization: str
    percent: str
    period: str
    declared_income: MoneyIn
    starts_on: date


class CancelPledgeIn(Schema):
    on: date | None = None


class DrawIn(Schema):
    organization: str
    kind: str
    money: MoneyIn
    means: str = "0"
    needed_by: date
    narrative: str
    evidence: str = ""
    blind: bool = False
    emergency: bool = False


class DrawVoteIn(Schema):
    choice: str
    strategy: int
    reason: str = ""


class PayIn(Schema):
    money: MoneyIn | None = None


class ReasonIn(Schema):
    reason: str


class ReportIn(Schema):
    text: str
    spent: MoneyIn


class ReportOut(Schema):
    id: int
    draw: int
    text: str
    spent: MoneyOut
    written_by: str
    submitted_at: datetime


class ExchangeIn(Schema):
    key: str
    sold: MoneyIn
    bought: MoneyIn
    note: str = ""


class CustodyIn(Schema):
    currency: str
    organization: str


class CustodyOut(Schema):
    currency: str
    organization: str
    since: datetime


class ProposalIn(Schema):
    kind: Literal["rules", "handover"]
    rules: dict[str, int | bool | str] = {}
    reason: str = ""


class ProposalVoteIn(Schema):
    choice: str
    reason: str = ""
