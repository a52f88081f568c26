"""Keeping the archive findable: every text gets a search entry and its mentions of known
entities, written in the same transaction as the text itself.

A testimony, translation, legal tactic, wage record, link or entity is indexed by the action
that saves it. Relay transcripts change in the relay, which does not know the archive, so
`sync_transcripts` brings their entries and mentions up to date (before every search and
cross-reference, and from the worker). When the names change (an entity is added, renamed
or imported), `rescan` finds the mentions in every text of the network again.

Search entries hold shared copies only: a redaction is never in the index, so it can never
come back in a snippet, not even to its own organization.
"""

import threading
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone

from internationale.archive.mentions import MentionIndex, Name
from internationale.archive.models import (
    REDACTED,
    Entity,
    LegalTactic,
    Link,
    Mention,
    SearchEntry,
    Testimony,
    Translation,
    WageRecord,
)
from internationale.core.visibility import Visibility
from internationale.network.models import Network
from internationale.relay.models import Transcript

_indexes: dict[int, tuple[tuple[Any, ...], MentionIndex]] = {}
_lock = threading.Lock()


def mention_index(network: Network) -> MentionIndex:
    """The names and aliases of the network's entities, ready to find; rebuilt only when
    they change."""
    version = tuple(
        Entity.objects.filter(network=network)
        .aggregate(count=Count("id"), latest=Max("updated_at"), top=Max("id"))
        .values()
    )
    with _lock:
        cached = _indexes.get(network.pk)
        if cached is not None and cached[0] == version:
            return cached[1]
    names = [
        Name(entity=str(pk), text=text)
        for pk, name, aliases in Entity.objects.filter(network=network).values_list(
            "pk", "name", "aliases"
        )
        for text in {name, *aliases}
        if text
    ]
    index = MentionIndex(names)
    with _lock:
        _indexes[network.pk] = (version, index)
    return index


def redacted_spans(text: str) -> list[tuple[int, int]]:
    """Where the redactions of `text` lie in its own copy (the brackets taken away)."""
    spans = []
    removed = 0
    for match in REDACTED.finditer(text):
        start = match.start() - removed
        spans.append((start, start + len(match.group(1))))
        removed += 4
    return spans


def _replace_mentions(
    network: Network,
    text: str,
    language: str,
    redactions: list[tuple[int, int]],
    **source: Any,
) -> None:
    """Forget the mentions found before in one text (`source`), and store those in it now."""
    Mention.objects.filter(**source).delete()
    found = mention_index(network).find(text, language=language or None)
    Mention.objects.bulk_create(
        Mention(
            network=network,
            entity_id=int(mention.entity),
            language=language,
            surface=mention.text[:300],
            start=mention.start,
            end=mention.end,
            shared=not any(s < mention.end and mention.start < e for s, e in redactions),
            **source,
        )
        for mention in found
    )


def _entry(kind: str, object_id: int, **values: Any) -> None:
    values.setdefault("country", "")
    values.setdefault("language", "")
    values["title"] = str(values["title"])[:300]
    values.setdefault("updated_at", timezone.now())
    SearchEntry.objects.update_or_create(kind=kind, object_id=object_id, defaults=values)


def _country(item: Any) -> str:
    return str(getattr(item.organization, "country", "") or "")


def index_testimony(testimony: Testimony) -> None:
    network = testimony.network
    with transaction.atomic():
        _replace_mentions(
            network,
            testimony.own_text,
            testimony.language,
            redacted_spans(testimony.text),
            testimony=testimony,
        )
        _entry(
            "testimony",
            testimony.pk,
            network=network,
            organization=testimony.organization,
            visibility=testimony.visibility,
            language=testimony.language,
            country=_country(testimony),
            title=testimony.title,
            body=f"{testimony.speaker}\n{testimony.shared_text}",
        )
        for translation in testimony.translations.all():
            index_translation(translation)


def _tactic_text(tactic: LegalTactic) -> str:
    return "\n".join(
        part
        for part in (tactic.issue, tactic.tactic, tactic.documents, tactic.jurisdiction)
        if part
    )


def index_tactic(tactic: LegalTactic) -> None:
    network = tactic.network
    with transaction.atomic():
        _replace_mentions(network, _tactic_text(tactic), "", [], tactic=tactic)
        _entry(
            "tactic",
            tactic.pk,
            network=network,
            organization=tactic.organization,
            visibility=tactic.visibility,
            country=_country(tactic),
            title=tactic.issue,
            body=_tactic_text(tactic),
        )
        for translation in tactic.translations.all():
            index_translation(translation)


def index_translation(translation: Translation) -> None:
    item = translation.item
    network = item.network
    with transaction.atomic():
        _replace_mentions(
            network,
            f"{translation.title}\n{translation.own_text}",
            translation.language,
            [
                (start + len(translation.title) + 1, end + len(translation.title) + 1)
                for start, end in redacted_spans(translation.text)
            ],
            translation=translation,
        )
        _entry(
            "translation",
            translation.pk,
            network=network,
            organization=item.organization,
            visibility=item.visibility,
            language=translation.language,
            country=_country(item),
            title=translation.title,
            body=translation.shared_text,
        )


def index_wage(wage: WageRecord) -> None:
    _entry(
        "wage",
        wage.pk,
        network=wage.network,
        organization=wage.organization,
        visibility=wage.visibility,
        country=wage.country,
        title=f"{wage.employer.name} — {wage.job}",
        body="\n".join(p for p in (wage.city, wage.sector, wage.job, wage.source) if p),
    )


def index_link(link: Link) -> None:
    _entry(
        "link",
        link.pk,
        network=link.network,
        organization=link.organization,
        visibility=link.visibility,
        country=_country(link),
        title=f"{link.source.name} → {link.target.name}",
        body=link.evidence,
    )


def index_entity(entity: Entity) -> None:
    _entry(
        "entity",
        entity.pk,
        network=entity.network,
        organization=None,
        visibility=Visibility.NETWORK,
        country=(entity.countries or [""])[0][:2],
        title=entity.name,
        body="\n".join([*entity.aliases, *[str(v) for v in (entity.identifiers or {}).values()]]),
    )


def _transcript_text(transcript: Transcript) -> str:
    return "\n".join(segment.text for segment in transcript.segments.all() if segment.text)


def index_transcript(transcript: Transcript) -> None:
    report = transcript.report
    network = report.network
    text = _transcript_text(transcript)
    with transaction.atomic():
        _replace_mentions(network, text, transcript.language, [], transcript=transcript)
        _entry(
            "transcript",
            transcript.pk,
            network=network,
            organization=report.organization,
            visibility=report.visibility,
            language=transcript.language,
            country=_country(report),
            title=report.title,
            body=f"{report.speaker}\n{text}",
            # The transcript's own time, so that an edit saved while it was being indexed
            # still reads as newer than its entry.
            updated_at=transcript.updated_at,
        )


def sync_transcripts(network: Network) -> int:
    """Index the relay transcripts of `network` whose entry is not of their last version
    (or of their report's visibility), and drop entries of transcripts that are gone.
    Returns how many were indexed."""
    entries = {
        object_id: (updated_at, visibility)
        for object_id, updated_at, visibility in SearchEntry.objects.filter(
            network=network, kind="transcript"
        ).values_list("object_id", "updated_at", "visibility")
    }
    current = Transcript.objects.filter(report__network=network).values_list(
        "pk", "updated_at", "report__visibility"
    )
    stale = [
        pk for pk, updated_at, visibility in current if entries.get(pk) != (updated_at, visibility)
    ]
    gone = set(entries) - {pk for pk, _updated, _visibility in current}
    if gone:
        SearchEntry.objects.filter(kind="transcript", object_id__in=gone).delete()
    for pk in stale:
        with transaction.atomic():
            # Two readers may find the same transcript stale: the lock makes the second wait
            # and then index it again, rather than both writing its mentions at once.
            transcript = (
                Transcript.objects.select_for_update(of=("self",))
                .select_related("report__network", "report__organization")
                .filter(pk=pk)
                .first()
            )
            if transcript is not None:
                index_transcript(transcript)
    return len(stale)


def forget(kind: str, object_ids: Iterable[int]) -> None:
    SearchEntry.objects.filter(kind=kind, object_id__in=list(object_ids)).delete()


def rescan(network: Network) -> int:
    """Find every mention in every text of `network` again (after the names changed), and
    index every item and entity. Returns how many mentions there are now."""
    with transaction.atomic():
        Mention.objects.filter(network=network).delete()
        for entity in Entity.objects.filter(network=network).select_related("network"):
            index_entity(entity)
        for testimony in (
            Testimony.objects.filter(network=network)
            .select_related("network", "organization")
            .prefetch_related("translations__testimony__network")
        ):
            index_testimony(testimony)
        for tactic in (
            LegalTactic.objects.filter(network=network)
            .select_related("network", "organization")
            .prefetch_related("translations__tactic__network")
        ):
            index_tactic(tactic)
        for wage in WageRecord.objects.filter(network=network).select_related(
            "network", "employer", "organization"
        ):
            index_wage(wage)
        for link in Link.objects.filter(network=network).select_related(
            "network", "source", "target", "organization"
        ):
            index_link(link)
        SearchEntry.objects.filter(network=network, kind="transcript").delete()
        sync_transcripts(network)
    return Mention.objects.filter(network=network).count()
