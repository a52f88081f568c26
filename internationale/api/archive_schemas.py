"""Shapes of the archive API.

Entities, items and judgements are named by id, organizations and networks by their short
names (`slug`). Money is never a float, as in the treasury: it goes in as
`{"amount": "14.50", "currency": "EUR"}` and comes out with its exact minor units beside it.
Hours and ownership shares are decimal text too ("37.5", "51.25"). Search titles and
snippets are HTML: everything escaped, the matched words between `<mark>` and `</mark>`.
"""

from datetime import date, datetime

from ninja import Field, Schema

from internationale.api.treasury_schemas import MoneyIn, MoneyOut


class EntityRefOut(Schema):
    id: int
    name: str


class EntityIn(Schema):
    name: str
    # Named `schema` on the wire; as an attribute it would shadow pydantic's own.
    schema_: str = Field("Company", alias="schema")
    aliases: list[str] = []
    countries: list[str] = []
    identifiers: dict[str, list[str]] = {}
    key: str = ""


class EntityOut(Schema):
    id: int
    key: str
    schema_: str = Field(alias="schema")
    name: str
    aliases: list[str]
    countries: list[str]
    identifiers: dict[str, list[str]]
    created_at: datetime
    updated_at: datetime


class EntityPageOut(Schema):
    count: int
    page: int
    pages: int
    entities: list[EntityOut]


class GroupOut(Schema):
    id: int
    head: EntityRefOut
    members: list[int]


class EntityMentionOut(Schema):
    kind: str
    object_id: int
    title: str
    language: str
    surface: str


class EntityDetailOut(EntityOut):
    network: str
    names: list[str]
    group: GroupOut
    mentions: list[EntityMentionOut]


class TextMentionOut(Schema):
    entity: EntityRefOut
    start: int
    end: int
    surface: str


class TranslationIn(Schema):
    title: str
    text: str


class TranslationOut(Schema):
    language: str
    title: str
    text: str
    origin: str
    review: str
    updated_at: datetime


class TestimonyIn(Schema):
    organization: str
    title: str
    speaker: str
    language: str
    text: str
    consent: str = "organization"
    visibility: str = "private"
    key: str = ""


class TestimonyOut(Schema):
    id: int
    key: str
    network: str
    organization: str
    title: str
    speaker: str
    language: str
    text: str
    consent: str
    visibility: str
    created_at: datetime
    updated_at: datetime
    mentions: list[TextMentionOut]
    translations: list[TranslationOut]


class WageIn(Schema):
    organization: str
    employer: int
    country: str
    job: str
    pay: MoneyIn
    period: str
    hours: str
    observed_on: date
    city: str = ""
    sector: str = ""
    source: str = ""
    visibility: str = "private"
    key: str = ""


class WageOut(Schema):
    id: int
    key: str
    organization: str
    employer: EntityRefOut
    country: str
    city: str
    sector: str
    job: str
    pay: MoneyOut
    period: str
    hours: str
    observed_on: date
    source: str
    visibility: str


class LinkIn(Schema):
    organization: str
    kind: str
    source: int
    target: int
    share: str = ""
    evidence: str = ""
    visibility: str = "private"
    key: str = ""


class LinkOut(Schema):
    id: int
    key: str
    organization: str
    kind: str
    source: EntityRefOut
    target: EntityRefOut
    share: str | None
    evidence: str
    visibility: str


class TacticIn(Schema):
    organization: str
    jurisdiction: str
    issue: str
    tactic: str
    outcome: str
    documents: str = ""
    against: int | None = None
    visibility: str = "private"
    key: str = ""


class TacticOut(Schema):
    id: int
    key: str
    organization: str
    jurisdiction: str
    issue: str
    tactic: str
    outcome: str
    documents: str
    against: EntityRefOut | None
    visibility: str


class RateIn(Schema):
    on: date
    amount: MoneyIn
    common: MoneyIn


class RateOut(Schema):
    currency: str
    common_currency: str
    on: date
    amount: MoneyOut
    common: MoneyOut


class ImportIn(Schema):
    organization: str
    text: str


class ImportedOut(Schema):
    created: int
    updated: int


class BadRowOut(Schema):
    line: int
    reason: str


class ImportErrorOut(Schema):
    code: str
    message: str
    fields: dict[str, list[str]]
    rows: list[BadRowOut]


class ImportRefusedOut(Schema):
    error: ImportErrorOut


class HitOut(Schema):
    kind: str
    object_id: int
    organization: str | None
    title: str
    snippet: str
    language: str


class SuggestionOut(Schema):
    level: str
    left: EntityRefOut
    right: EntityRefOut
    score: float
    reasons: list[str]
    reason_labels: list[str]


class JudgementIn(Schema):
    level: str
    left: int
    right: int
    verdict: str


class JudgementOut(Schema):
    id: int
    level: str
    left: EntityRefOut
    right: EntityRefOut
    verdict: str
    score: float | None
    reasons: list[str]
    judged_by: str | None
    judged_at: datetime


class EvidenceOut(Schema):
    kind: str
    object_id: int
    label: str
    organization: str | None
    country: str
    entity: int
    excerpt: str


class BreadthOut(Schema):
    organizations: int
    countries: int
    evidence: int


class AppearanceOut(Schema):
    group: GroupOut
    breadth: BreadthOut
    shared: bool
    organizations: list[str]
    countries: list[str]
    evidence: list[EvidenceOut]


class PayOut(Schema):
    id: int
    organization: str
    employer: EntityRefOut
    country: str
    city: str
    job: str
    hourly: MoneyOut
    common: MoneyOut | None
    rate_on: date | None
    observed_on: date


class PayComparisonOut(Schema):
    common_currency: str
    group: GroupOut
    records: list[PayOut]
