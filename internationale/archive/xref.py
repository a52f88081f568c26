"""The cross-reference: which corporate groups appear in the struggles of two or more
organizations or countries, with the evidence behind each; how one group pays across
places; and which passages of management rhetoric recur across testimonies.

Everything is computed for one reader from what that reader may read: a private
testimony of another organization is never evidence on their page, never counts towards a
group's breadth, and never supplies a recurring passage.

A group's breadth is the number of organizations whose records name it, then the number of
countries those struggles are in (the recording organization's country; a wage record's
own country), then the amount of evidence.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from typing import Any

from django.urls import reverse

from internationale.archive import access, indexing, resolution, rhetoric
from internationale.archive.models import Entity, Rate, WageRecord
from internationale.core.money import Money
from internationale.network.models import Member, Network, Organization

DEFAULT_COMMON_CURRENCY = "USD"


@dataclass(frozen=True)
class Evidence:
    kind: str
    object_id: int
    label: str
    url: str
    organization: Organization | None
    country: str
    entity: Entity
    excerpt: str = ""


@dataclass
class Appearance:
    group: resolution.Group
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def organizations(self) -> list[Organization]:
        found = {e.organization.pk: e.organization for e in self.evidence if e.organization}
        return sorted(found.values(), key=lambda o: o.name)

    @property
    def countries(self) -> list[str]:
        return sorted({e.country for e in self.evidence if e.country})

    @property
    def breadth(self) -> tuple[int, int, int]:
        return (len(self.organizations), len(self.countries), len(self.evidence))

    @property
    def shared(self) -> bool:
        organizations, countries, _evidence = self.breadth
        return organizations >= 2 or countries >= 2

    def by_kind(self) -> dict[str, list[Evidence]]:
        kinds: dict[str, list[Evidence]] = defaultdict(list)
        for item in self.evidence:
            kinds[item.kind].append(item)
        return dict(kinds)


def _excerpt(text: str, start: int, end: int, width: int = 80) -> str:
    before = text[max(0, start - width) : start]
    after = text[end : end + width]
    opening = "…" if start > width else ""
    closing = "…" if end + width < len(text) else ""
    return f"{opening}{before}{text[start:end]}{after}{closing}"


def _evidence(member: Member | None, network: Network) -> list[Evidence]:
    """Every piece of evidence `member` may read that names an entity."""
    found: list[Evidence] = []
    for wage in access.wage_records(member, network).select_related("organization"):
        found.append(
            Evidence(
                "wage",
                wage.pk,
                f"{wage.job} — {wage.city or wage.country}",
                reverse("archive:entity", args=[wage.employer_id]) + f"#wage-{wage.pk}",
                wage.organization,
                wage.country,
                wage.employer,
            )
        )
    for link in access.links(member, network):
        for entity in (link.source, link.target):
            found.append(
                Evidence(
                    "link",
                    link.pk,
                    str(link),
                    reverse("archive:entity", args=[entity.pk]) + f"#link-{link.pk}",
                    link.organization,
                    link.organization.country,
                    entity,
                    link.evidence,
                )
            )
    for tactic in (
        access.legal_tactics(member, network)
        .filter(against__isnull=False)
        .select_related("organization", "against")
    ):
        assert tactic.against is not None
        found.append(
            Evidence(
                "tactic",
                tactic.pk,
                tactic.issue,
                reverse("archive:tactic", args=[tactic.pk]),
                tactic.organization,
                tactic.organization.country,
                tactic.against,
            )
        )
    indexing.sync_transcripts(network)
    entities = access.entities_of(member, network)
    for mention in access.mentions_of(member, network, entities):
        found.append(_mention_evidence(member, mention))
    return found


def _mention_evidence(member: Member | None, mention: Any) -> Evidence:
    if mention.testimony is not None:
        item = mention.testimony
        own = access.is_own(member, item)
        text = item.own_text if own else item.shared_text
        start = mention.start if own else text.find(mention.surface)
        end = mention.end if own else start + len(mention.surface)
        return Evidence(
            "testimony",
            item.pk,
            item.title,
            reverse("archive:testimony", args=[item.pk]),
            item.organization,
            item.organization.country,
            mention.entity,
            _excerpt(text, start, end) if start >= 0 else text[:160],
        )
    if mention.tactic is not None:
        item = mention.tactic
        return Evidence(
            "tactic",
            item.pk,
            item.issue,
            reverse("archive:tactic", args=[item.pk]),
            item.organization,
            item.organization.country,
            mention.entity,
        )
    if mention.translation is not None:
        translation = mention.translation
        item = translation.item
        url_name = "archive:testimony" if translation.testimony_id else "archive:tactic"
        return Evidence(
            "translation",
            translation.pk,
            translation.title,
            reverse(url_name, args=[item.pk]) + f"?language={translation.language}",
            item.organization,
            item.organization.country,
            mention.entity,
        )
    report = mention.transcript.report
    return Evidence(
        "report",
        report.pk,
        report.title,
        reverse("relay:report", args=[report.pk]),
        report.organization,
        report.organization.country,
        mention.entity,
    )


def cross_reference(member: Member | None, network: Network) -> list[Appearance]:
    """Every group with evidence `member` may read, broadest first (those shared by two or
    more organizations or countries are the cross-reference proper)."""
    groups = resolution.groups(member, network)
    appearances: dict[int, Appearance] = {}
    seen: set[tuple[str, int, int]] = set()
    for item in _evidence(member, network):
        group = groups.get(item.entity.pk)
        if group is None:
            continue
        key = (item.kind, item.object_id, group.id)
        if key in seen:
            continue
        seen.add(key)
        appearances.setdefault(group.id, Appearance(group)).evidence.append(item)
    return sorted(
        appearances.values(),
        key=lambda a: (tuple(-n for n in a.breadth), a.group.head.name),
    )


def appearance(member: Member | None, network: Network, entity: Entity) -> Appearance:
    """The group of `entity`, with its evidence, as `member` sees it."""
    group = resolution.groups(member, network)[entity.pk]
    for found in cross_reference(member, network):
        if found.group.id == group.id:
            return found
    return Appearance(group)


# Pay -----------------------------------------------------------------------------------------


def common_currency(network: Network) -> str:
    rate = Rate.objects.filter(network=network).order_by("id").first()
    return rate.common_currency if rate else DEFAULT_COMMON_CURRENCY


@dataclass(frozen=True)
class Pay:
    record: WageRecord
    hourly: Money
    common: Money | None
    rate_on: date | None

    @property
    def hours(self) -> Fraction:
        return Fraction(self.record.hours, 100)


def _rounded(value: Fraction) -> int:
    return round(value)  # half to even, exactly


def hourly(record: WageRecord) -> Fraction:
    """Minor units per hour: the pay of the period over its hours (kept in hundredths)."""
    return Fraction(record.pay * 100, record.hours)


def pay_comparison(
    member: Member | None, network: Network, group: resolution.Group
) -> tuple[str, list[Pay]]:
    """How the group's employers pay across places, per hour, in the record's currency and
    in the network's common currency at the rate recorded for the record's date (or the last
    rate recorded before it). A record with no such rate has no common figure."""
    common = common_currency(network)
    records = list(
        access.wage_records(member, network)
        .filter(employer__in=group.entity_ids)
        .select_related("organization")
        .order_by("country", "city", "job", "-observed_on")
    )
    rates: dict[str, list[Rate]] = defaultdict(list)
    for rate in Rate.objects.filter(network=network, common_currency=common).order_by("on"):
        rates[rate.currency].append(rate)
    result = []
    for record in records:
        per_hour = hourly(record)
        converted: Money | None = None
        rate_on: date | None = None
        if record.currency == common:
            converted = Money(_rounded(per_hour), common)
        else:
            earlier = [r for r in rates.get(record.currency, []) if r.on <= record.observed_on]
            if earlier:
                rate = earlier[-1]
                converted = Money(_rounded(per_hour * rate.common / rate.amount), common)
                rate_on = rate.on
        result.append(Pay(record, Money(_rounded(per_hour), record.currency), converted, rate_on))
    result.sort(key=lambda p: (p.common is None, -(p.common.minor if p.common else 0)))
    return common, result


# Rhetoric ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Passage:
    passage: rhetoric.Passage
    label: str
    url: str
    organization: Organization
    language: str


def recurring_rhetoric(member: Member | None, network: Network) -> list[list[Passage]]:
    """Near-duplicate passages across the testimonies (and their translations) `member`
    may read, in shared copies for other organizations' testimonies, grouped."""
    documents = []
    places: dict[str, tuple[str, str, Organization]] = {}
    for testimony in (
        access.testimonies(member, network)
        .select_related("organization")
        .prefetch_related("translations")
    ):
        origin = f"testimony:{testimony.pk}"
        url = reverse("archive:testimony", args=[testimony.pk])
        own = access.is_own(member, testimony)
        documents.append(
            rhetoric.Document(
                origin,
                origin,
                testimony.language,
                testimony.own_text if own else testimony.shared_text,
            )
        )
        places[origin] = (testimony.title, url, testimony.organization)
        for translation in testimony.translations.all():
            source = f"translation:{translation.pk}"
            documents.append(
                rhetoric.Document(
                    source,
                    origin,
                    translation.language,
                    translation.own_text if own else translation.shared_text,
                )
            )
            places[source] = (
                translation.title,
                f"{url}?language={translation.language}",
                testimony.organization,
            )
    return [
        [
            Passage(p, places[p.source][0], places[p.source][1], places[p.source][2], p.language)
            for p in recurrence.passages
        ]
        for recurrence in rhetoric.recurring(documents)
    ]
