"""API of the living archive: entities, the knowledge organizations record, search, the
judgements that join records into entities and groups, and the cross-reference.

Every endpoint needs a token. The access rules are those of `archive/access.py`: a
network's entities, suggestions and cross-reference are for its members; an item is read by
whoever its visibility allows (its organization always, the network when it is shared);
anyone else gets 404. A testimony comes back as its reader may read it: whole for its own
organization, its redactions cut for everyone else; the names found in it are found in
that very text, so their offsets point into what was returned. An entity's mentions name
the texts they are in, never offsets, which would tell how much a redaction hides.

Members record knowledge for their own organizations only, and only researchers and
coordinators judge matches; others get 403. Refusals of the actions come back as 400 with
their messages; an import with bad rows as 422, with each bad row's line and reason, and
nothing of it written.
"""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from internationale.api.archive_schemas import (
    AppearanceOut,
    EntityDetailOut,
    EntityIn,
    EntityOut,
    EntityPageOut,
    HitOut,
    ImportedOut,
    ImportIn,
    ImportRefusedOut,
    JudgementIn,
    JudgementOut,
    LinkIn,
    LinkOut,
    PayComparisonOut,
    RateIn,
    RateOut,
    SuggestionOut,
    TacticIn,
    TacticOut,
    TestimonyIn,
    TestimonyOut,
    TranslationIn,
    TranslationOut,
    WageIn,
    WageOut,
)
from internationale.api.auth import TokenAuth
from internationale.api.errors import error_body
from internationale.api.treasury import money_in, money_out
from internationale.archive import access, actions, indexing, resolution, xref
from internationale.archive import search as archive_search
from internationale.archive.models import (
    Entity,
    Judgement,
    LegalTactic,
    Level,
    Link,
    Mention,
    Testimony,
    Translation,
    WageRecord,
)
from internationale.core.money import Money
from internationale.network import access as network_access
from internationale.network.access import signed_in
from internationale.network.models import Member, Network, Organization

router = Router(tags=["archive"], auth=TokenAuth())

ENTITY_PAGE = 100
ENTITY_PAGE_LIMIT = 500


# Looking things up --------------------------------------------------------------------------


def _network(member: Member, slug: str) -> Network:
    return network_access.access_network_members(member, slug)


def _recording_organization(member: Member, network: Network, slug: str) -> Organization:
    """An organization of the network, named in the body, that the member records for."""
    # Only organizations the member may see are named: a private organization's membership
    # is never confirmed to outsiders, who get the answer an unknown name gets.
    found = network_access.organizations_of(network, member).filter(slug=slug).first()
    if found is None:
        raise ValidationError({"organization": _("This organization is not in this network.")})
    if found not in access.may_record(member, network):
        raise PermissionDenied
    return found


def _entity_in(member: Member, network: Network, entity_id: int, *, field: str) -> Entity:
    """An entity of the network's archive, named by id in the body."""
    found = access.entities_of(member, network).filter(pk=entity_id).first()
    if found is None:
        raise ValidationError({field: _("Choose an entity of this network's archive.")})
    return found


def _created(record: Any) -> int:
    """Saving under a key that exists updates that record: 200 then, 201 for a new one (a
    new record's creation and last change are the same moment)."""
    return 201 if record.created_at == record.updated_at else 200


def _hundredths(value: int) -> str:
    """Hundredths as decimal text: 3750 is "37.5", 4000 is "40"."""
    whole, part = divmod(value, 100)
    return f"{whole}.{part:02d}".rstrip("0") if part else str(whole)


# Entities -----------------------------------------------------------------------------------


def _ref(entity: Entity) -> dict[str, Any]:
    return {"id": entity.pk, "name": entity.name}


def _entity(entity: Entity) -> dict[str, Any]:
    return {
        "id": entity.pk,
        "key": entity.key,
        "schema": entity.schema,
        "name": entity.name,
        "aliases": entity.aliases,
        "countries": entity.countries,
        "identifiers": entity.identifiers,
        "created_at": entity.created_at,
        "updated_at": entity.updated_at,
    }


def _group(group: resolution.Group) -> dict[str, Any]:
    return {"id": group.id, "head": _ref(group.head), "members": sorted(group.entity_ids)}


def _mention_source(mention: Mention) -> dict[str, Any]:
    """The text a mention is in, named as search names it (kind and id)."""
    if mention.testimony is not None:
        kind, object_id, title = "testimony", mention.testimony.pk, mention.testimony.title
    elif mention.tactic is not None:
        kind, object_id, title = "tactic", mention.tactic.pk, mention.tactic.issue
    elif mention.translation is not None:
        kind, object_id, title = "translation", mention.translation.pk, mention.translation.title
    else:
        transcript = mention.transcript
        assert transcript is not None
        kind, object_id, title = "transcript", transcript.pk, transcript.report.title
    return {
        "kind": kind,
        "object_id": object_id,
        "title": title,
        "language": mention.language,
        "surface": mention.surface,
    }


class EntityQuery(Schema):
    q: str = ""
    page: int = 1
    per_page: int = ENTITY_PAGE


@router.get("/archive/networks/{network}/entities", response=EntityPageOut, by_alias=True)
def entities(request: HttpRequest, network: str, query: Query[EntityQuery]) -> dict[str, Any]:
    """The network's entities by name, a page at a time; `q` keeps those whose name holds
    it."""
    member = signed_in(request)
    found = access.entities_of(member, _network(member, network))
    if query.q.strip():
        found = found.filter(name__icontains=query.q.strip())
    paginator = Paginator(found, min(max(query.per_page, 1), ENTITY_PAGE_LIMIT))
    page = paginator.get_page(query.page)
    return {
        "count": paginator.count,
        "page": page.number,
        "pages": paginator.num_pages,
        "entities": [_entity(e) for e in page.object_list],
    }


@router.post(
    "/archive/networks/{network}/entities",
    response={200: EntityOut, 201: EntityOut},
    by_alias=True,
)
def save_entity(request: HttpRequest, network: str, payload: EntityIn) -> Any:
    """Add an entity, or update the one saved under the same `key`."""
    member = signed_in(request)
    found = _network(member, network)
    key = payload.key.strip()
    entity = actions.save_entity(
        member,
        network=found,
        fields=actions.EntityFields(
            name=payload.name,
            schema=payload.schema_,
            aliases=payload.aliases,
            countries=payload.countries,
            identifiers=payload.identifiers,
            key=key,
        ),
    )
    return Status(_created(entity), _entity(entity))


@router.get("/archive/entities/{entity}", response=EntityDetailOut, by_alias=True)
def entity_detail(request: HttpRequest, entity: int) -> dict[str, Any]:
    """The entity, the group it belongs to as the reader sees it, and where it is named in
    the texts the reader may read."""
    member = signed_in(request)
    found = access.access_entity(member, entity)
    network = found.network
    group = resolution.groups(member, network)[found.pk]
    indexing.sync_transcripts(network)
    mentions = access.mentions_of(member, network, [found.pk])
    return {
        **_entity(found),
        "network": network.slug,
        "names": found.names,
        "group": _group(group),
        "mentions": [_mention_source(m) for m in mentions],
    }


# Testimonies and translations ---------------------------------------------------------------


def _translation(member: Member, translation: Translation) -> dict[str, Any]:
    return {
        "language": translation.language,
        "title": translation.title,
        "text": access.translation_text(member, translation),
        "origin": translation.origin,
        "review": translation.review,
        "updated_at": translation.updated_at,
    }


def _text_mentions(member: Member, network: Network, text: str, language: str) -> list[Any]:
    """The names of the network's entities in `text`, offsets into `text` itself. A reader
    from outside the network (of a public testimony) is not told the entities."""
    if not access.is_archive_member(member, network):
        return []
    found = indexing.mention_index(network).find(text, language=language)
    names = dict(
        access.entities_of(member, network)
        .filter(pk__in={int(m.entity) for m in found})
        .values_list("pk", "name")
    )
    return [
        {
            "entity": {"id": int(m.entity), "name": names[int(m.entity)]},
            "start": m.start,
            "end": m.end,
            "surface": m.text,
        }
        for m in found
        if int(m.entity) in names
    ]


def _testimony(member: Member, testimony: Testimony) -> dict[str, Any]:
    text = access.testimony_text(member, testimony)
    return {
        "id": testimony.pk,
        "key": testimony.key,
        "network": testimony.network.slug,
        "organization": testimony.organization.slug,
        "title": testimony.title,
        "speaker": testimony.speaker,
        "language": testimony.language,
        "text": text,
        "consent": testimony.consent,
        "visibility": testimony.visibility,
        "created_at": testimony.created_at,
        "updated_at": testimony.updated_at,
        "mentions": _text_mentions(member, testimony.network, text, testimony.language),
        "translations": [_translation(member, t) for t in testimony.translations.all()],
    }


@router.post(
    "/archive/networks/{network}/testimonies", response={200: TestimonyOut, 201: TestimonyOut}
)
def record_testimony(request: HttpRequest, network: str, payload: TestimonyIn) -> Any:
    """Record a testimony for one of the member's organizations (or update the one saved
    under `key`). Passages [[between double brackets]] are redactions, read by that
    organization only; `visibility` may not go beyond the speaker's `consent`."""
    member = signed_in(request)
    found = _network(member, network)
    organization = _recording_organization(member, found, payload.organization)
    testimony = actions.record_testimony(
        member,
        network=found,
        organization=organization,
        testimony=actions.TestimonyFields(
            title=payload.title,
            speaker=payload.speaker,
            language=payload.language,
            text=payload.text,
            consent=payload.consent,
            visibility=payload.visibility,
            key=payload.key.strip(),
        ),
    )
    return Status(_created(testimony), _testimony(member, testimony))


@router.get("/archive/testimonies/{testimony}", response=TestimonyOut)
def testimony_detail(request: HttpRequest, testimony: int) -> dict[str, Any]:
    member = signed_in(request)
    return _testimony(member, access.access_testimony(member, testimony))


@router.put("/archive/testimonies/{testimony}/translations/{language}", response=TranslationOut)
def save_translation(
    request: HttpRequest, testimony: int, language: str, payload: TranslationIn
) -> dict[str, Any]:
    """Write or rewrite the testimony in another language; a draft until someone else
    reviews it. Redactions are marked as in the original."""
    member = signed_in(request)
    found = access.access_testimony(member, testimony)
    if not access.is_archive_member(member, found.network):
        raise PermissionDenied
    saved = actions.save_translation(
        member, item=found, language=language, title=payload.title, text=payload.text
    )
    return _translation(member, saved)


@router.post(
    "/archive/testimonies/{testimony}/translations/{language}/review", response=TranslationOut
)
def review_translation(request: HttpRequest, testimony: int, language: str) -> dict[str, Any]:
    """Someone other than its last editor marks the translation reviewed."""
    member = signed_in(request)
    found = access.access_testimony(member, testimony)
    translation = found.translations.filter(language=language.strip().lower()).first()
    if translation is None:
        raise Http404
    if not access.is_archive_member(member, found.network):
        raise PermissionDenied
    return _translation(member, actions.review_translation(member, translation))


# Wages, links, tactics, rates ---------------------------------------------------------------


def _wage(record: WageRecord) -> dict[str, Any]:
    return {
        "id": record.pk,
        "key": record.key,
        "organization": record.organization.slug,
        "employer": _ref(record.employer),
        "country": record.country,
        "city": record.city,
        "sector": record.sector,
        "job": record.job,
        "pay": money_out(Money(record.pay, record.currency)),
        "period": record.period,
        "hours": _hundredths(record.hours),
        "observed_on": record.observed_on,
        "source": record.source,
        "visibility": record.visibility,
    }


@router.post("/archive/networks/{network}/wages", response={200: WageOut, 201: WageOut})
def record_wage(request: HttpRequest, network: str, payload: WageIn) -> Any:
    """Pay observed at an employer (an entity of the archive, by id): `pay` per `period`,
    for `hours` in that period ("1" for an hourly wage)."""
    member = signed_in(request)
    found = _network(member, network)
    organization = _recording_organization(member, found, payload.organization)
    employer = _entity_in(member, found, payload.employer, field="employer")
    pay = money_in(payload.pay, field="pay")
    record = actions.record_wage(
        member,
        network=found,
        organization=organization,
        wage=actions.Wage(
            employer=employer,
            country=payload.country,
            job=payload.job,
            pay=str(pay.decimal),
            currency=pay.currency,
            period=payload.period,
            hours=payload.hours,
            observed_on=payload.observed_on,
            city=payload.city,
            sector=payload.sector,
            source=payload.source,
            visibility=payload.visibility,
            key=payload.key.strip(),
        ),
    )
    return Status(_created(record), _wage(record))


def _link(link: Link) -> dict[str, Any]:
    return {
        "id": link.pk,
        "key": link.key,
        "organization": link.organization.slug,
        "kind": link.kind,
        "source": _ref(link.source),
        "target": _ref(link.target),
        "share": None if link.share is None else _hundredths(link.share),
        "evidence": link.evidence,
        "visibility": link.visibility,
    }


@router.post("/archive/networks/{network}/links", response={200: LinkOut, 201: LinkOut})
def record_link(request: HttpRequest, network: str, payload: LinkIn) -> Any:
    """`source` supplies, owns, finances, contracts or ships for `target` (entities by id);
    an ownership may give its `share` as a percentage in decimal text."""
    member = signed_in(request)
    found = _network(member, network)
    organization = _recording_organization(member, found, payload.organization)
    source = _entity_in(member, found, payload.source, field="source")
    target = _entity_in(member, found, payload.target, field="target")
    link = actions.record_link(
        member,
        network=found,
        organization=organization,
        link=actions.LinkFields(
            kind=payload.kind,
            source=source,
            target=target,
            share=payload.share,
            evidence=payload.evidence,
            visibility=payload.visibility,
            key=payload.key.strip(),
        ),
    )
    return Status(_created(link), _link(link))


def _tactic(tactic: LegalTactic) -> dict[str, Any]:
    return {
        "id": tactic.pk,
        "key": tactic.key,
        "organization": tactic.organization.slug,
        "jurisdiction": tactic.jurisdiction,
        "issue": tactic.issue,
        "tactic": tactic.tactic,
        "outcome": tactic.outcome,
        "documents": tactic.documents,
        "against": _ref(tactic.against) if tactic.against else None,
        "visibility": tactic.visibility,
    }


@router.post("/archive/networks/{network}/tactics", response={200: TacticOut, 201: TacticOut})
def record_tactic(request: HttpRequest, network: str, payload: TacticIn) -> Any:
    """A legal tactic: where, on what issue, what was done and how it ended; `against` is
    an entity of the archive, by id."""
    member = signed_in(request)
    found = _network(member, network)
    organization = _recording_organization(member, found, payload.organization)
    against = None
    if payload.against is not None:
        against = _entity_in(member, found, payload.against, field="against")
    tactic = actions.record_tactic(
        member,
        network=found,
        organization=organization,
        tactic=actions.TacticFields(
            jurisdiction=payload.jurisdiction,
            issue=payload.issue,
            tactic=payload.tactic,
            outcome=payload.outcome,
            documents=payload.documents,
            against=against,
            visibility=payload.visibility,
            key=payload.key.strip(),
        ),
    )
    return Status(_created(tactic), _tactic(tactic))


@router.post("/archive/networks/{network}/rates", response={201: RateOut})
def record_rate(request: HttpRequest, network: str, payload: RateIn) -> Any:
    """What `amount` was worth in the network's common currency (`common`) on a day. The
    first rate sets the common currency; another for the same day replaces it."""
    member = signed_in(request)
    found = _network(member, network)
    rate = actions.record_rate(
        member,
        network=found,
        on=payload.on,
        amount=money_in(payload.amount, field="amount"),
        common=money_in(payload.common, field="common"),
    )
    return Status(
        201,
        {
            "currency": rate.currency,
            "common_currency": rate.common_currency,
            "on": rate.on,
            "amount": money_out(Money(rate.amount, rate.currency)),
            "common": money_out(Money(rate.common, rate.common_currency)),
        },
    )


# Imports ------------------------------------------------------------------------------------


@router.post(
    "/archive/networks/{network}/imports/{kind}",
    response={200: ImportedOut, 422: ImportRefusedOut},
)
def import_csv(request: HttpRequest, network: str, kind: str, payload: ImportIn) -> Any:
    """Import a CSV of `entities`, `wages` or `links` for one of the member's
    organizations; rows whose key exists update that record. If any row is bad, nothing is
    written and the answer (422) lists each bad row's line and reason."""
    member = signed_in(request)
    found = _network(member, network)
    organization = _recording_organization(member, found, payload.organization)
    try:
        imported = actions.import_csv(
            member, network=found, organization=organization, kind=kind, text=payload.text
        )
    except actions.ImportRefused as refused:
        body = error_body(
            "import_refused", _("Nothing was imported: correct these lines and send it again.")
        )
        body["error"]["rows"] = [{"line": r.line, "reason": r.reason} for r in refused.rows]
        return Status(422, body)
    return {"created": imported.created, "updated": imported.updated}


# Search -------------------------------------------------------------------------------------


class SearchQuery(Schema):
    q: str = ""
    kind: str = ""
    language: str = ""
    organization: str = ""
    country: str = ""


@router.get("/archive/networks/{network}/search", response=list[HitOut])
def search(request: HttpRequest, network: str, query: Query[SearchQuery]) -> list[dict[str, Any]]:
    """What the reader may read that holds every word of `q` (each as a prefix), best
    first; `kind` is one of testimony, translation, tactic, wage, link, entity, transcript,
    and `organization` a slug. A hit's `title` and `snippet` are HTML, the words found
    between <mark> and </mark>."""
    member = signed_in(request)
    found = _network(member, network)
    if query.kind and query.kind not in archive_search.KINDS:
        raise ValidationError({"kind": _("Choose a kind of text from the list.")})
    slugs = dict(network_access.organizations_of(found, member).values_list("pk", "slug"))
    organization = None
    if query.organization:
        organization = next((pk for pk, slug in slugs.items() if slug == query.organization), None)
        if organization is None:
            raise ValidationError({"organization": _("This organization is not in this network.")})
    hits = archive_search.search(
        member,
        found,
        query.q,
        archive_search.Filters(
            kind=query.kind,
            language=query.language.strip().lower(),
            organization=organization,
            country=query.country.strip(),
        ),
    )
    return [
        {
            "kind": hit.entry.kind,
            "object_id": hit.entry.object_id,
            "organization": slugs.get(hit.entry.organization_id)
            if hit.entry.organization_id
            else None,
            "title": str(hit.title),
            "snippet": str(hit.snippet),
            "language": hit.entry.language,
        }
        for hit in hits
    ]


# Resolution ---------------------------------------------------------------------------------


def _level(level: str) -> str:
    if level not in Level.values:
        raise ValidationError({"level": _("Choose entity or group.")})
    return level


@router.get("/archive/networks/{network}/suggestions", response=list[SuggestionOut])
def suggestions(request: HttpRequest, network: str, level: str = "entity") -> list[dict[str, Any]]:
    """Pairs of records the matcher takes for the same legal entity (`level=entity`) or
    the same corporate group (`level=group`), not judged yet, best first."""
    member = signed_in(request)
    found = _network(member, network)
    return [
        {
            "level": s.level,
            "left": _ref(s.left),
            "right": _ref(s.right),
            "score": s.score,
            "reasons": list(s.reasons),
            "reason_labels": s.reason_labels,
        }
        for s in resolution.suggestions(member, found, _level(level))
    ]


def _judgement(judgement: Judgement) -> dict[str, Any]:
    return {
        "id": judgement.pk,
        "level": judgement.level,
        "left": _ref(judgement.left),
        "right": _ref(judgement.right),
        "verdict": judgement.verdict,
        "score": judgement.score,
        "reasons": judgement.reasons,
        "judged_by": judgement.judged_by.display_name if judgement.judged_by else None,
        "judged_at": judgement.judged_at,
    }


@router.post("/archive/networks/{network}/judgements", response={201: JudgementOut})
def judge(request: HttpRequest, network: str, payload: JudgementIn) -> Any:
    """A researcher or coordinator judges two records (by id) the same, different, or
    unsure, at `level`; judging a pair again replaces the judgement."""
    member = signed_in(request)
    found = _network(member, network)
    if not access.may_judge(member, found):
        raise PermissionDenied
    judgement = resolution.judge(
        member,
        network=found,
        level=_level(payload.level),
        first=_entity_in(member, found, payload.left, field="left"),
        second=_entity_in(member, found, payload.right, field="right"),
        verdict=payload.verdict,
    )
    return Status(201, _judgement(judgement))


@router.delete("/archive/judgements/{judgement}", response={204: None})
def withdraw_judgement(request: HttpRequest, judgement: int) -> Any:
    """Take a judgement back: its records leave the cluster it joined them in."""
    member = signed_in(request)
    found = access.access_judgement(member, judgement)
    resolution.withdraw(member, found)
    return Status(204, None)


# Cross-reference ----------------------------------------------------------------------------


def _evidence(item: xref.Evidence) -> dict[str, Any]:
    return {
        "kind": item.kind,
        "object_id": item.object_id,
        "label": item.label,
        "organization": item.organization.slug if item.organization else None,
        "country": item.country,
        "entity": item.entity.pk,
        "excerpt": item.excerpt,
    }


@router.get("/archive/networks/{network}/cross-reference", response=list[AppearanceOut])
def cross_reference(request: HttpRequest, network: str) -> list[dict[str, Any]]:
    """Every corporate group named in what the reader may read, broadest first (by
    organizations, then countries, then evidence); `shared` marks those named by two or
    more organizations or countries."""
    member = signed_in(request)
    found = _network(member, network)
    result = []
    for appearance in xref.cross_reference(member, found):
        organizations, countries, evidence = appearance.breadth
        result.append(
            {
                "group": _group(appearance.group),
                "breadth": {
                    "organizations": organizations,
                    "countries": countries,
                    "evidence": evidence,
                },
                "shared": appearance.shared,
                "organizations": [o.slug for o in appearance.organizations],
                "countries": appearance.countries,
                "evidence": [_evidence(item) for item in appearance.evidence],
            }
        )
    return result


@router.get("/archive/networks/{network}/groups/{entity}/pay", response=PayComparisonOut)
def pay_comparison(request: HttpRequest, network: str, entity: int) -> dict[str, Any]:
    """How the group of `entity` pays across places, per hour: in the record's currency,
    and in the network's common currency at the rate of the record's date (or the last
    one before it); `common` is null where no such rate is recorded."""
    member = signed_in(request)
    found = _network(member, network)
    if not access.entities_of(member, found).filter(pk=entity).exists():
        raise Http404
    group = resolution.groups(member, found)[entity]
    common_currency, pays = xref.pay_comparison(member, found, group)
    return {
        "common_currency": common_currency,
        "group": _group(group),
        "records": [
            {
                "id": pay.record.pk,
                "organization": pay.record.organization.slug,
                "employer": _ref(pay.record.employer),
                "country": pay.record.country,
                "city": pay.record.city,
                "job": pay.record.job,
                "hourly": money_out(pay.hourly),
                "common": money_out(pay.common) if pay.common else None,
                "rate_on": pay.rate_on,
                "observed_on": pay.record.observed_on,
            }
            for pay in pays
        ],
    }
