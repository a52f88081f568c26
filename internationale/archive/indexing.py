"""Keeping the archive findable: every text gets a search entry and its mentions of known
entities, written in the same transaction as the text itself.

A testimony, translation, legal tactic, wage record, link or entity is indexed by the action
that saves it. Relay transcripts change in the relay, which does not know the archive, so
`sync_transcripts` brings their entries and mentions up to date (before every search and
cross-reference). When the names change (an entity is added or renamed), `entity_saved`
finds the mentions in every text of the network again in one pass; `rescan` also writes
every entry again (after an import, or an upgrade).

Search entries hold shared copies only: a redaction is never in the index, so it can never
come back in a snippet, not even to its own organization.
"""

import threading
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Count, Max, Q
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


@dataclass(frozen=True)
class _Text:
    """One text in which mentions are found: its words as its own organization reads them,
    their language, where its redactions lie, and the source a mention points back to."""

    text: str
    language: str
    redactions: list[tuple[int, int]]
    source: dict[str, Any]


def _found(network: Network, index: MentionIndex, text: _Text) -> list[Mention]:
    return [
        Mention(
            network=network,
            entity_id=int(mention.entity),
            language=text.language,
            surface=mention.text[:300],
            start=mention.start,
            end=mention.end,
            shared=not any(s < mention.end and mention.start < e for s, e in text.redactions),
            **text.source,
        )
        for mention in index.find(text.text, language=text.language or None)
    ]


def _replace_mentions(network: Network, text: _Text) -> None:
    """Forget the mentions found before in one text, and store those in it now."""
    Mention.objects.filter(**text.source).delete()
    Mention.objects.bulk_create(_found(network, mention_index(network), text))


def _testimony_text(testimony: Testimony) -> _Text:
    return _Text(
        testimony.own_text,
        testimony.language,
        redacted_spans(testimony.text),
        {"testimony": testimony},
    )


def _translation_text(translation: Translation) -> _Text:
    shift = len(translation.title) + 1
    return _Text(
        f"{translation.title}\n{translation.own_text}",
        translation.language,
        [(start + shift, end + shift) for start, end in redacted_spans(translation.text)],
        {"translation": translation},
    )


def _tactic_words(tactic: LegalTactic) -> str:
    return "\n".join(
        part
        for part in (tactic.issue, tactic.tactic, tactic.documents, tactic.jurisdiction)
        if part
    )


def _tactic_text(tactic: LegalTactic) -> _Text:
    return _Text(_tactic_words(tactic), "", [], {"tactic": tactic})


def _transcript_words(transcript: Transcript) -> str:
    return "\n".join(segment.text for segment in transcript.segments.all() if segment.text)


def _transcript_text(transcript: Transcript) -> _Text:
    return _Text(_transcript_words(transcript), transcript.language, [], {"transcript": transcript})


def _entry(kind: str, object_id: int, **values: Any) -> None:
    values.setdefault("country", "")
    values.setdefault("language", "")
    values["title"] = str(values["title"])[:300]
    values.setdefault("updated_at", timezone.now())
    SearchEntry.objects.update_or_create(kind=kind, object_id=object_id, defaults=values)


def _country(item: Any) -> str:
    return str(getattr(item.organization, "country", "") or "")


def _entry_of_testimony(testimony: Testimony) -> None:
    _entry(
        "testimony",
        testimony.pk,
        network=testimony.network,
        organization=testimony.organization,
        visibility=testimony.visibility,
        language=testimony.language,
        country=_country(testimony),
        title=testimony.title,
        body=f"{testimony.speaker}\n{testimony.shared_text}",
    )


def _entry_of_tactic(tactic: LegalTactic) -> None:
    _entry(
        "tactic",
        tactic.pk,
        network=tactic.network,
        organization=tactic.organization,
        visibility=tactic.visibility,
        country=_country(tactic),
        title=tactic.issue,
        body=_tactic_words(tactic),
    )


def _entry_of_translation(translation: Translation) -> None:
    item = translation.item
    _entry(
        "translation",
        translation.pk,
        network=item.network,
        organization=item.organization,
        visibility=item.visibility,
        language=translation.language,
        country=_country(item),
        title=translation.title,
        body=translation.shared_text,
    )


def index_testimony(testimony: Testimony) -> None:
    """A testimony's mentions and entry, and its translations' (whose readers it sets)."""
    with transaction.atomic():
        _replace_mentions(testimony.network, _testimony_text(testimony))
        _entry_of_testimony(testimony)
        for translation in testimony.translations.all():
            index_translation(translation)


def index_tactic(tactic: LegalTactic) -> None:
    with transaction.atomic():
        _replace_mentions(tactic.network, _tactic_text(tactic))
        _entry_of_tactic(tactic)
        for translation in tactic.translations.all():
            index_translation(translation)


def index_translation(translation: Translation) -> None:
    with transaction.atomic():
        _replace_mentions(translation.item.network, _translation_text(translation))
        _entry_of_translation(translation)


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


def index_transcript(transcript: Transcript) -> None:
    report = transcript.report
    network = report.network
    text = _transcript_text(transcript)
    with transaction.atomic():
        _replace_mentions(network, text)
        _entry(
            "transcript",
            transcript.pk,
            network=network,
            organization=report.organization,
            visibility=report.visibility,
            language=transcript.language,
            country=_country(report),
            title=report.title,
            body=f"{report.speaker}\n{text.text}",
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


def find_mentions_again(network: Network) -> int:
    """Find every mention in every text of `network` again, after its names changed: one
    pass of the index over all the texts, one delete and one bulk insert. Returns how many
    mentions there are now."""
    index = mention_index(network)
    texts = [
        *(_testimony_text(t) for t in Testimony.objects.filter(network=network)),
        *(_tactic_text(t) for t in LegalTactic.objects.filter(network=network)),
        *(
            _translation_text(t)
            for t in Translation.objects.filter(
                Q(testimony__network=network) | Q(tactic__network=network)
            )
        ),
        *(
            _transcript_text(t)
            for t in Transcript.objects.filter(report__network=network).prefetch_related("segments")
        ),
    ]
    found = [mention for text in texts for mention in _found(network, index, text)]
    with transaction.atomic():
        Mention.objects.filter(network=network).delete()
        Mention.objects.bulk_create(found, batch_size=1_000)
    return len(found)


def entity_saved(entity: Entity) -> None:
    """After an entity is added or renamed: its own entry, the entries whose titles carry its
    name (its wage records and links), and every mention in the network."""
    index_entity(entity)
    for wage in WageRecord.objects.filter(employer=entity).select_related(
        "network", "employer", "organization"
    ):
        index_wage(wage)
    for link in Link.objects.filter(Q(source=entity) | Q(target=entity)).select_related(
        "network", "source", "target", "organization"
    ):
        index_link(link)
    find_mentions_again(entity.network)


def rescan(network: Network) -> int:
    """Index every item and entity of `network` again, and find every mention anew (after
    an import, or an upgrade). Returns how many mentions there are now."""
    with transaction.atomic():
        for entity in Entity.objects.filter(network=network).select_related("network"):
            index_entity(entity)
        for testimony in Testimony.objects.filter(network=network).select_related(
            "network", "organization"
        ):
            _entry_of_testimony(testimony)
        for tactic in LegalTactic.objects.filter(network=network).select_related(
            "network", "organization"
        ):
            _entry_of_tactic(tactic)
        for translation in Translation.objects.filter(
            Q(testimony__network=network) | Q(tactic__network=network)
        ).select_related(
            "testimony__network",
            "testimony__organization",
            "tactic__network",
            "tactic__organization",
        ):
            _entry_of_translation(translation)
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
        return find_mentions_again(network)
