"""Every write of the archive: entities, the knowledge organizations record, and imports.

A record has a `key`, unique within its organization (an entity's within its network): saving
with a key that exists updates that record, so importing the same CSV or FollowTheMoney file
again updates instead of duplicating. An import checks every row first and writes nothing if
any row is bad; it reports each bad row with its line and reason.
"""

import csv
import io
import json
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from internationale.archive import indexing
from internationale.archive.models import (
    REDACTED,
    Consent,
    Entity,
    LegalTactic,
    Link,
    LinkKind,
    Origin,
    Outcome,
    PayPeriod,
    Rate,
    Review,
    Schema,
    Testimony,
    Translation,
    WageRecord,
)
from internationale.core import audit
from internationale.core.languages import is_country, is_language
from internationale.core.money import Money, MoneyError, is_currency
from internationale.core.visibility import Visibility
from internationale.network.actions import _text
from internationale.network.models import Member, Network, Organization

MAX_IMPORT_ROWS = 50_000
VISIBILITY_RANK = {Visibility.PRIVATE: 0, Visibility.NETWORK: 1, Visibility.PUBLIC: 2}
CONSENT_ALLOWS = {
    Consent.ORGANIZATION: Visibility.PRIVATE,
    Consent.NETWORK: Visibility.NETWORK,
    Consent.PUBLIC: Visibility.PUBLIC,
}


# Who may write --------------------------------------------------------------------------------


def _check_member_of(actor: Member | None, organization: Organization) -> None:
    if actor is not None and organization.pk not in actor.organization_ids():
        raise ValidationError(
            _("Only members of %(organization)s can do this.") % {"organization": organization}
        )


def _check_in_network(actor: Member | None, network: Network) -> None:
    if actor is not None and network.pk not in actor.network_ids():
        raise ValidationError(_("Only members of the network can do this."))


def _check_organization_in(organization: Organization, network: Network) -> None:
    if not network.organizations.filter(pk=organization.pk).exists():
        raise ValidationError(
            _("%(organization)s is not in this network.") % {"organization": organization}
        )


# Entities -------------------------------------------------------------------------------------


def new_key(name: str) -> str:
    return f"{slugify(name)[:80] or 'item'}-{secrets.token_hex(4)}"


@dataclass(frozen=True)
class EntityFields:
    name: str
    schema: str = Schema.COMPANY
    aliases: Sequence[str] = ()
    countries: Sequence[str] = ()
    identifiers: dict[str, list[str]] = field(default_factory=dict)
    key: str = ""


def _entity_fields(fields: EntityFields) -> EntityFields:
    name = _text(fields.name, field="name", limit=300)
    if fields.schema not in Schema.values:
        raise ValidationError({"schema": _("Choose a kind of entity from the list.")})
    aliases = list(
        dict.fromkeys(a.strip() for a in fields.aliases if a.strip() and a.strip() != name)
    )
    if any(len(a) > 300 for a in aliases):
        raise ValidationError({"aliases": _("A name has at most 300 characters.")})
    countries = list(dict.fromkeys(c.strip().upper() for c in fields.countries if c.strip()))
    if not all(is_country(c) for c in countries):
        raise ValidationError({"countries": _("Give countries as two-letter codes, such as BR.")})
    identifiers = {
        scheme: [v.strip() for v in values if v.strip()]
        for scheme, values in fields.identifiers.items()
        if scheme in IDENTIFIER_SCHEMES
    }
    lei = identifiers.get("leiCode", [])
    if any(not re.fullmatch(r"[0-9A-Z]{18}[0-9]{2}", v) for v in lei):
        raise ValidationError({"identifiers": _("An LEI has 20 letters and digits.")})
    key = _key(fields.key) if fields.key else ""
    return EntityFields(name, fields.schema, aliases, countries, identifiers, key)


IDENTIFIER_SCHEMES = ("leiCode", "registrationNumber", "taxNumber")


def _key(value: str) -> str:
    key = value.strip()
    if not key or len(key) > 120 or not re.fullmatch(r"[\w.:@/+-]+", key):
        raise ValidationError(
            {"key": _("A key has 1 to 120 letters, digits and . : @ / + - _ characters.")}
        )
    return key


def save_entity(actor: Member | None, *, network: Network, fields: EntityFields) -> Entity:
    """Add an entity to the network's archive, or update the one with the same key."""
    _check_in_network(actor, network)
    clean = _entity_fields(fields)
    with transaction.atomic():
        entity, _new = _upsert_entity(actor, network, clean)
        audit.record(actor, "archive.entity.save", entity, key=entity.key)
        indexing.entity_saved(entity)
    return entity


def _upsert_entity(
    actor: Member | None, network: Network, clean: EntityFields
) -> tuple[Entity, bool]:
    """The entity saved under the key, and whether it is new."""
    now = timezone.now()
    values = {
        "schema": clean.schema,
        "name": clean.name,
        "aliases": list(clean.aliases),
        "countries": list(clean.countries),
        "identifiers": clean.identifiers,
        "updated_at": now,
    }
    key = clean.key or new_key(clean.name)
    entity = Entity.objects.select_for_update().filter(network=network, key=key).first()
    if entity is None:
        created = Entity.objects.create(
            network=network,
            key=key,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
            created_at=now,
            **values,
        )
        return created, True
    for name, value in values.items():
        setattr(entity, name, value)
    entity.save(update_fields=list(values))
    return entity, False


# Knowledge ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Wage:
    employer: Entity
    country: str
    job: str
    pay: str
    currency: str
    period: str
    hours: str
    observed_on: date
    city: str = ""
    sector: str = ""
    source: str = ""
    visibility: str = Visibility.PRIVATE
    key: str = ""


def _visibility(value: str) -> str:
    if value not in Visibility.values:
        raise ValidationError({"visibility": _("Choose who can see it.")})
    return value


def _hours(text: str) -> int:
    """Hours as hundredths: '40', '37.5', '8,25'."""
    match = re.fullmatch(r"(\d{1,4})(?:[.,](\d{1,2}))?", text.strip())
    if not match or int(match[1] + (match[2] or "").ljust(2, "0")) == 0:
        raise ValidationError(
            {"hours": _("Give the hours as a number above zero, such as 40 or 7.5.")}
        )
    return int(match[1]) * 100 + int((match[2] or "0").ljust(2, "0"))


def _wage_values(wage: Wage, network: Network) -> dict[str, Any]:
    if wage.employer.network_id != network.pk:
        raise ValidationError({"employer": _("Choose an employer of this network's archive.")})
    country = wage.country.strip().upper()
    if not is_country(country):
        raise ValidationError({"country": _("Give the country as a two-letter code, such as BD.")})
    currency = wage.currency.strip().upper()
    if not is_currency(currency):
        raise ValidationError(
            {"currency": _("Choose a currency by its ISO 4217 code, such as USD.")}
        )
    try:
        pay = Money.parse(wage.pay.strip(), currency)
    except MoneyError:
        raise ValidationError(
            {
                "pay": _("Enter an amount in %(currency)s with no more decimals than it has.")
                % {"currency": currency}
            }
        ) from None
    if pay.minor < 0:
        raise ValidationError({"pay": _("Pay cannot be negative.")})
    if wage.period not in PayPeriod.values:
        raise ValidationError({"period": _("Choose a pay period from the list.")})
    return {
        "employer": wage.employer,
        "country": country,
        "city": _text(wage.city, field="city", limit=120, required=False),
        "sector": _text(wage.sector, field="sector", limit=120, required=False),
        "job": _text(wage.job, field="job", limit=120),
        "pay": pay.minor,
        "currency": currency,
        "period": wage.period,
        "hours": _hours(wage.hours),
        "observed_on": wage.observed_on,
        "source": _text(wage.source, field="source", limit=300, required=False),
        "visibility": _visibility(wage.visibility),
    }


def record_wage(
    actor: Member | None, *, network: Network, organization: Organization, wage: Wage
) -> WageRecord:
    """A member records pay observed at an employer, for their organization."""
    _check_member_of(actor, organization)
    _check_organization_in(organization, network)
    values = _wage_values(wage, network)
    key = _key(wage.key) if wage.key else new_key(values["job"])
    with transaction.atomic():
        record, _new = _upsert(WageRecord, actor, network, organization, key, values)
        audit.record(actor, "archive.wage.save", record, key=key)
        indexing.index_wage(record)
    return record


def _upsert(
    model: Any,
    actor: Member | None,
    network: Network,
    organization: Organization,
    key: str,
    values: dict[str, Any],
) -> tuple[Any, bool]:
    """The record saved under the key, and whether it is new."""
    now = timezone.now()
    row = (
        model.objects.select_for_update()
        .filter(network=network, organization=organization, key=key)
        .first()
    )
    if row is None:
        created = model.objects.create(
            network=network,
            organization=organization,
            key=key,
            recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
            created_at=now,
            updated_at=now,
            **values,
        )
        return created, True
    for name, value in {**values, "updated_at": now}.items():
        setattr(row, name, value)
    row.save(update_fields=[*values, "updated_at"])
    return row, False


@dataclass(frozen=True)
class LinkFields:
    kind: str
    source: Entity
    target: Entity
    share: str = ""
    evidence: str = ""
    visibility: str = Visibility.PRIVATE
    key: str = ""


def _link_values(link: LinkFields, network: Network) -> dict[str, Any]:
    if link.kind not in LinkKind.values:
        raise ValidationError({"kind": _("Choose a kind of link from the list.")})
    if link.source.network_id != network.pk or link.target.network_id != network.pk:
        raise ValidationError({"target": _("Choose entities of this network's archive.")})
    if link.source.pk == link.target.pk:
        raise ValidationError({"target": _("A link joins two different entities.")})
    share = None
    if link.share.strip():
        if link.kind != LinkKind.OWNS:
            raise ValidationError({"share": _("Only an ownership has a share.")})
        match = re.fullmatch(r"(\d{1,3})(?:[.,](\d{1,2}))?", link.share.strip().rstrip("%").strip())
        share = int(match[1]) * 100 + int((match[2] or "0").ljust(2, "0")) if match else -1
        if not 0 < share <= 10_000:
            raise ValidationError(
                {"share": _("Give the share as a percentage above 0 and at most 100.")}
            )
    return {
        "kind": link.kind,
        "source": link.source,
        "target": link.target,
        "share": share,
        "evidence": _text(
            link.evidence, field="evidence", limit=5_000, required=False, multiline=True
        ),
        "visibility": _visibility(link.visibility),
    }


def record_link(
    actor: Member | None, *, network: Network, organization: Organization, link: LinkFields
) -> Link:
    """A member records that one entity supplies, owns, finances, contracts or ships for
    another, with its evidence."""
    _check_member_of(actor, organization)
    _check_organization_in(organization, network)
    values = _link_values(link, network)
    key = _key(link.key) if link.key else new_key(f"{link.source.name} {link.kind}")
    with transaction.atomic():
        row, _new = _upsert(Link, actor, network, organization, key, values)
        audit.record(actor, "archive.link.save", row, key=key)
        indexing.index_link(row)
    return row


# Imports --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BadRow:
    line: int
    reason: str


class ImportRefused(ValidationError):
    """Some rows are bad: nothing was written. `rows` says which and why."""

    def __init__(self, rows: list[BadRow]) -> None:
        self.rows = rows
        super().__init__(
            [_("Line %(line)d: %(reason)s") % {"line": r.line, "reason": r.reason} for r in rows]
        )


@dataclass(frozen=True)
class Imported:
    created: int
    updated: int


IMPORT_COLUMNS = {
    "entities": (("key", "name"), ("schema", "aliases", "countries", "lei", "registration")),
    "wages": (
        ("key", "employer", "country", "job", "pay", "currency", "period", "hours", "observed_on"),
        ("city", "sector", "source", "visibility"),
    ),
    "links": (("key", "kind", "source", "target"), ("share", "evidence", "visibility")),
}


def import_csv(
    actor: Member | None,
    *,
    network: Network,
    organization: Organization,
    kind: str,
    text: str,
) -> Imported:
    """Import a CSV of entities, wage records or links (see IMPORT_COLUMNS; several values
    in one cell are separated by ";"). Entities and employers are named by their key. Every
    row is checked first; if any is bad, nothing is written and ImportRefused lists them.
    Rows whose key exists update that record."""
    _check_member_of(actor, organization)
    _check_organization_in(organization, network)
    if kind not in IMPORT_COLUMNS:
        raise ValidationError({"kind": _("Choose entities, wages or links.")})
    required, optional = IMPORT_COLUMNS[kind]
    reader = csv.DictReader(io.StringIO(text.removeprefix("\ufeff")))
    columns = [c.strip() for c in reader.fieldnames or []]
    missing = [c for c in required if c not in columns]
    if missing:
        raise ImportRefused(
            [BadRow(1, _("missing columns: %(columns)s") % {"columns": ", ".join(missing)})]
        )
    unknown = [c for c in columns if c not in required + optional]
    if unknown:
        raise ImportRefused(
            [BadRow(1, _("unknown columns: %(columns)s") % {"columns": ", ".join(unknown)})]
        )
    rows = []
    for number, row in enumerate(reader, start=2):
        if number > MAX_IMPORT_ROWS + 1:
            raise ImportRefused(
                [
                    BadRow(
                        number,
                        _("an import has at most %(count)d rows") % {"count": MAX_IMPORT_ROWS},
                    )
                ]
            )
        rows.append((number, {k.strip(): (v or "").strip() for k, v in row.items() if k}))
    entities = {e.key: e for e in Entity.objects.filter(network=network)}
    planned: list[tuple[str, Any]] = []
    bad: list[BadRow] = []
    seen: set[str] = set()
    for number, row in rows:
        try:
            key = _key(row["key"])
            if key in seen:
                raise ValidationError(_("this key appears twice in the file"))
            seen.add(key)
            planned.append((key, _planned(kind, row, network, entities)))
        except ValidationError as error:
            bad.append(BadRow(number, "; ".join(error.messages)))
    if bad:
        raise ImportRefused(bad)
    created = 0
    with transaction.atomic():
        for key, values in planned:
            if kind == "entities":
                _entity, new = _upsert_entity(actor, network, values)
            elif kind == "wages":
                wage, new = _upsert(WageRecord, actor, network, organization, key, values)
                indexing.index_wage(wage)
            else:
                link, new = _upsert(Link, actor, network, organization, key, values)
                indexing.index_link(link)
            created += new
        if kind == "entities":
            indexing.rescan(network)
        updated = len(planned) - created
        audit.record(actor, "archive.import", network, kind=kind, created=created, updated=updated)
    return Imported(created=created, updated=updated)


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split(";") if part.strip()]


def _planned(kind: str, row: dict[str, str], network: Network, entities: dict[str, Entity]) -> Any:
    def entity(column: str) -> Entity:
        found = entities.get(row[column])
        if found is None:
            raise ValidationError(_("no entity with the key %(key)s") % {"key": row[column]})
        return found

    if kind == "entities":
        identifiers = {
            "leiCode": _split(row.get("lei", "")),
            "registrationNumber": _split(row.get("registration", "")),
        }
        return _entity_fields(
            EntityFields(
                name=row["name"],
                schema=row.get("schema") or Schema.COMPANY,
                aliases=_split(row.get("aliases", "")),
                countries=_split(row.get("countries", "")),
                identifiers={k: v for k, v in identifiers.items() if v},
                key=row["key"],
            )
        )
    if kind == "wages":
        try:
            observed = date.fromisoformat(row["observed_on"])
        except ValueError:
            raise ValidationError(_("observed_on is a date as YYYY-MM-DD")) from None
        return _wage_values(
            Wage(
                employer=entity("employer"),
                country=row["country"],
                job=row["job"],
                pay=row["pay"],
                currency=row["currency"],
                period=row["period"],
                hours=row["hours"],
                observed_on=observed,
                city=row.get("city", ""),
                sector=row.get("sector", ""),
                source=row.get("source", ""),
                visibility=row.get("visibility") or Visibility.PRIVATE,
            ),
            network,
        )
    return _link_values(
        LinkFields(
            kind=row["kind"],
            source=entity("source"),
            target=entity("target"),
            share=row.get("share", ""),
            evidence=row.get("evidence", ""),
            visibility=row.get("visibility") or Visibility.PRIVATE,
        ),
        network,
    )


def parse_json_lines(text: str) -> list[tuple[int, dict[str, Any]]]:
    """FollowTheMoney JSON lines, numbered; a line that is not a JSON object is refused."""
    parsed, bad = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError:
            bad.append(BadRow(number, _("not JSON")))
            continue
        if not isinstance(value, dict):
            bad.append(BadRow(number, _("not a JSON object")))
            continue
        parsed.append((number, value))
    if bad:
        raise ImportRefused(bad)
    return parsed


def visibility_within_consent(visibility: str, consent: str) -> bool:
    """Whether a testimony's visibility stays within what its speaker consented to."""
    return (
        VISIBILITY_RANK[Visibility(visibility)] <= VISIBILITY_RANK[CONSENT_ALLOWS[Consent(consent)]]
    )


# Testimonies and legal tactics ----------------------------------------------------------------


def _check_redactions(text: str) -> None:
    """Every redaction opened and closed once, none inside another: a stray or nested
    bracket would let part of a redaction into the shared copy."""
    outside = REDACTED.sub("", text)
    if "[[" in outside or "]]" in outside or any("[[" in m for m in REDACTED.findall(text)):
        raise ValidationError({"text": _("Close every redaction [[like this]].")})


@dataclass(frozen=True)
class TestimonyFields:
    title: str
    speaker: str
    language: str
    text: str
    consent: str = Consent.ORGANIZATION
    visibility: str = Visibility.PRIVATE
    key: str = ""


def record_testimony(
    actor: Member | None,
    *,
    network: Network,
    organization: Organization,
    testimony: TestimonyFields,
    recording: bool = False,
) -> Testimony:
    """A member records a testimony for their organization. Passages between double
    brackets are redactions, cut from every shared copy. The visibility may not go beyond
    what the speaker consented to. With `recording`, the text may stay empty until the
    recording the caller attaches is transcribed."""
    _check_member_of(actor, organization)
    _check_organization_in(organization, network)
    if testimony.consent not in Consent.values:
        raise ValidationError({"consent": _("Choose what the speaker consented to.")})
    visibility = _visibility(testimony.visibility)
    if not visibility_within_consent(visibility, testimony.consent):
        raise ValidationError(
            {"visibility": _("The speaker did not consent to sharing it that widely.")}
        )
    language = testimony.language.strip().lower()
    if not is_language(language):
        raise ValidationError({"language": _("Choose a language from the list.")})
    text = _text(
        testimony.text, field="text", limit=100_000, multiline=True, required=not recording
    )
    _check_redactions(text)
    values = {
        "title": _text(testimony.title, field="title", limit=200),
        "speaker": _text(testimony.speaker, field="speaker", limit=80),
        "language": language,
        "text": text,
        "consent": testimony.consent,
        "visibility": visibility,
    }
    key = _key(testimony.key) if testimony.key else new_key(str(values["title"]))
    with transaction.atomic():
        row, _new = _upsert(Testimony, actor, network, organization, key, values)
        audit.record(actor, "archive.testimony.save", row, key=key)
        indexing.index_testimony(row)
    return row


@dataclass(frozen=True)
class TacticFields:
    jurisdiction: str
    issue: str
    tactic: str
    outcome: str
    documents: str = ""
    against: Entity | None = None
    visibility: str = Visibility.PRIVATE
    key: str = ""


def record_tactic(
    actor: Member | None,
    *,
    network: Network,
    organization: Organization,
    tactic: TacticFields,
) -> LegalTactic:
    """A member records a legal tactic: where, on what issue, what was done and how it
    ended, with its documents."""
    _check_member_of(actor, organization)
    _check_organization_in(organization, network)
    if tactic.outcome not in Outcome.values:
        raise ValidationError({"outcome": _("Choose an outcome from the list.")})
    if tactic.against is not None and tactic.against.network_id != network.pk:
        raise ValidationError({"against": _("Choose an entity of this network's archive.")})
    values = {
        "jurisdiction": _text(tactic.jurisdiction, field="jurisdiction", limit=120),
        "issue": _text(tactic.issue, field="issue", limit=300),
        "tactic": _text(tactic.tactic, field="tactic", limit=20_000, multiline=True),
        "outcome": tactic.outcome,
        "documents": _text(
            tactic.documents, field="documents", limit=20_000, required=False, multiline=True
        ),
        "against": tactic.against,
        "visibility": _visibility(tactic.visibility),
    }
    key = _key(tactic.key) if tactic.key else new_key(str(values["issue"]))
    with transaction.atomic():
        row, _new = _upsert(LegalTactic, actor, network, organization, key, values)
        audit.record(actor, "archive.tactic.save", row, key=key)
        indexing.index_tactic(row)
    return row


# Translations and rates -----------------------------------------------------------------------


def save_translation(
    actor: Member | None,
    *,
    item: Testimony | LegalTactic,
    language: str,
    title: str,
    text: str,
    origin: str = Origin.HUMAN,
) -> Translation:
    """A member who may read an item writes (or rewrites) its words in another language.
    A rewrite is a draft again until someone reviews it."""
    if actor is not None and not item.is_visible_to(actor):
        raise ValidationError(_("You cannot read this item."))
    if actor is not None and item.network_id not in actor.network_ids():
        raise ValidationError(_("Only members of the network can do this."))
    language = language.strip().lower()
    if not is_language(language):
        raise ValidationError({"language": _("Choose a language from the list.")})
    source_language = getattr(item, "language", "")
    if language == source_language:
        raise ValidationError({"language": _("Choose a language other than the original's.")})
    body = _text(text, field="text", limit=100_000, multiline=True)
    _check_redactions(body)
    if origin not in Origin.values:
        raise ValidationError({"origin": _("Choose who translated it.")})
    key: dict[str, Any] = {"testimony": item} if isinstance(item, Testimony) else {"tactic": item}
    values = {
        "title": _text(title, field="title", limit=300),
        "text": body,
        "origin": origin,
        "review": Review.DRAFT,
        "reviewed_by": None,
        "updated_by": actor if getattr(actor, "is_authenticated", False) else None,
        "updated_at": timezone.now(),
    }
    with transaction.atomic():
        translation, _created = Translation.objects.update_or_create(
            **key, language=language, defaults=values
        )
        audit.record(actor, "archive.translation.save", item, language=language)
        indexing.index_translation(translation)
    return translation


def review_translation(actor: Member | None, translation: Translation) -> Translation:
    """Someone other than its last editor marks a translation reviewed."""
    if actor is not None and not translation.item.is_visible_to(actor):
        raise ValidationError(_("You cannot read this item."))
    if actor is not None and translation.item.network_id not in actor.network_ids():
        raise ValidationError(_("Only members of the network can do this."))
    if actor is not None and translation.updated_by_id == actor.pk:
        raise ValidationError(_("Someone other than its last editor reviews a translation."))
    with transaction.atomic():
        translation.review = Review.REVIEWED
        translation.reviewed_by = actor if getattr(actor, "is_authenticated", False) else None
        translation.save(update_fields=["review", "reviewed_by"])
        audit.record(
            actor, "archive.translation.review", translation.item, language=translation.language
        )
    return translation


def record_rate(
    actor: Member | None,
    *,
    network: Network,
    on: date,
    amount: Money,
    common: Money,
) -> Rate:
    """The network records what `amount` was worth in its common currency on a day, as two
    exact amounts. The first rate sets the common currency; a second rate for the same day
    replaces the first."""
    _check_in_network(actor, network)
    if amount.minor <= 0 or common.minor <= 0:
        raise ValidationError(_("Both amounts must be more than zero."))
    if amount.currency == common.currency:
        raise ValidationError(_("Choose two different currencies."))
    first = Rate.objects.filter(network=network).order_by("id").first()
    if first is not None and first.common_currency != common.currency:
        raise ValidationError(
            _("This network compares pay in %(currency)s.") % {"currency": first.common_currency}
        )
    with transaction.atomic():
        rate, _created = Rate.objects.update_or_create(
            network=network,
            currency=amount.currency,
            common_currency=common.currency,
            on=on,
            defaults={"amount": amount.minor, "common": common.minor},
        )
        audit.record(
            actor,
            "archive.rate.save",
            network,
            currency=amount.currency,
            on=on.isoformat(),
            amount=amount.minor,
            common=common.minor,
        )
    return rate
