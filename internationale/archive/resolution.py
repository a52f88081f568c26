"""Which entity records are one legal entity, and which belong to one corporate group.

The matcher suggests pairs, with a score and its reasons; researchers judge them (same,
different, unsure). Nothing here changes an entity record: clusters are drawn from the
judgements each time, transitively, so withdrawing or changing a judgement takes a record
back out of its cluster.

A corporate group joins: records judged the same legal entity, records judged of the same
group, and subsidiaries rolled up along ownership links the reader may read ("owns" with a
majority share, or with no share given).
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from internationale.archive import access, matching
from internationale.archive.models import Entity, Judgement, Level, LinkKind, Verdict
from internationale.core import audit
from internationale.network.models import Member, Network

MAJORITY = 5_000  # basis points

REASONS = {
    "same name": gettext_lazy("same name"),
    "different names": gettext_lazy("different names"),
    "spelling differs": gettext_lazy("spelling differs"),
    "spacing differs": gettext_lazy("spacing differs"),
    "acronym": gettext_lazy("one is an acronym of the other"),
    "word order differs": gettext_lazy("word order differs"),
    "different words": gettext_lazy("different words"),
    "extra words": gettext_lazy("extra words"),
    "numbers differ": gettext_lazy("numbers differ"),
    "places differ": gettext_lazy("places differ"),
    "legal form differs": gettext_lazy("legal form differs"),
    "countries differ": gettext_lazy("countries differ"),
    "no name": gettext_lazy("no name"),
    "same stem": gettext_lazy("same distinctive name"),
    "similar stem": gettext_lazy("similar distinctive name"),
    "transliterated stem": gettext_lazy("same distinctive name in another script"),
    "only a common word shared": gettext_lazy("only a common word shared"),
    "different stem": gettext_lazy("different distinctive names"),
}


def reason_labels(reasons: Iterable[str]) -> list[str]:
    return [str(REASONS.get(reason, reason)) for reason in reasons]


class _Union:
    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def find(self, item: int) -> int:
        parent = self.parent.setdefault(item, item)
        if parent != item:
            parent = self.parent[item] = self.find(parent)
        return parent

    def union(self, a: int, b: int) -> None:
        root_a, root_b = self.find(a), self.find(b)
        if root_a != root_b:
            self.parent[max(root_a, root_b)] = min(root_a, root_b)


def _same_pairs(network: Network, levels: Iterable[str]) -> list[tuple[int, int]]:
    return list(
        Judgement.objects.filter(
            network=network, level__in=list(levels), verdict=Verdict.SAME
        ).values_list("left_id", "right_id")
    )


def clusters(network: Network, level: str) -> dict[int, int]:
    """Each judged entity's cluster (its smallest id) at `level`: judged the same legal
    entity, or (for groups) the same legal entity or the same group."""
    levels = [Level.ENTITY] if level == Level.ENTITY else [Level.ENTITY, Level.GROUP]
    union = _Union()
    for left, right in _same_pairs(network, levels):
        union.union(left, right)
    return {item: union.find(item) for item in union.parent}


@dataclass
class Group:
    """A corporate group as one reader sees it: its records, and the head it is named by."""

    id: int
    head: Entity
    entities: list[Entity] = field(default_factory=list)

    @property
    def entity_ids(self) -> set[int]:
        return {entity.pk for entity in self.entities}

    @property
    def countries(self) -> list[str]:
        return sorted({c for entity in self.entities for c in entity.countries})


def groups(member: Member | None, network: Network) -> dict[int, Group]:
    """Every entity's group (by entity id) as `member` sees it: records judged the same
    entity or group, and subsidiaries joined to their majority owners along the ownership
    links `member` may read. A group is named by its head: a record that owns others and is
    owned by none inside the group (the one with the smallest id if several)."""
    entities = {entity.pk: entity for entity in access.entities_of(member, network)}
    union = _Union()
    for pk in entities:
        union.find(pk)
    for left, right in _same_pairs(network, [Level.ENTITY, Level.GROUP]):
        union.union(left, right)
    owned: set[int] = set()
    owners: set[int] = set()
    for link in access.links(member, network).filter(kind=LinkKind.OWNS):
        if link.share is None or link.share > MAJORITY:
            union.union(link.source_id, link.target_id)
            owned.add(link.target_id)
            owners.add(link.source_id)
    members: dict[int, list[Entity]] = defaultdict(list)
    for pk, entity in entities.items():
        members[union.find(pk)].append(entity)
    result: dict[int, Group] = {}
    for root, records in members.items():
        heads = [e for e in records if e.pk in owners and e.pk not in owned] or sorted(
            records, key=lambda e: e.pk
        )
        group = Group(id=root, head=min(heads, key=lambda e: e.pk), entities=records)
        for entity in records:
            result[entity.pk] = group
    return result


@dataclass(frozen=True)
class Suggestion:
    level: str
    left: Entity
    right: Entity
    score: float
    reasons: tuple[str, ...]

    @property
    def reason_labels(self) -> list[str]:
        return reason_labels(self.reasons)


def suggestions(
    member: Member | None, network: Network, level: str, *, limit: int = 50
) -> list[Suggestion]:
    """Pairs the matcher says match at `level` that no one has judged yet and that are not
    already in one cluster, best first."""
    entities = {entity.pk: entity for entity in access.entities_of(member, network)}
    judged = set(
        Judgement.objects.filter(network=network, level=level).values_list("left_id", "right_id")
    )
    if level == Level.GROUP:
        together = {pk: group.id for pk, group in groups(member, network).items()}
    else:
        together = clusters(network, level)
    labels = matching.cluster(
        (
            (str(pk), entity.name, (entity.countries or [None])[0])
            for pk, entity in entities.items()
        ),
        level=level,  # type: ignore[arg-type]
    )
    found: dict[str, list[int]] = defaultdict(list)
    for pk, label in labels.items():
        found[label].append(int(pk))
    result = []
    for records in found.values():
        for left, right in combinations(sorted(records), 2):
            if (left, right) in judged:
                continue
            if left in together and together.get(left) == together.get(right):
                continue
            a, b = entities[left], entities[right]
            comparison = matching.compare(
                a.name,
                b.name,
                level=level,  # type: ignore[arg-type]
                country1=(a.countries or [None])[0],
                country2=(b.countries or [None])[0],
            )
            result.append(Suggestion(level, a, b, comparison.score, comparison.reasons))
    result.sort(key=lambda s: (-s.score, s.left.name, s.right.name))
    # One suggestion per pair of clusters: judging it joins the two clusters whole.
    best: dict[frozenset[int], Suggestion] = {}
    for suggestion in result:
        pair = frozenset(
            (
                together.get(suggestion.left.pk, suggestion.left.pk),
                together.get(suggestion.right.pk, suggestion.right.pk),
            )
        )
        best.setdefault(pair, suggestion)
    return list(best.values())[:limit]


def compare_records(left: Entity, right: Entity, level: str) -> matching.Comparison:
    return matching.compare(
        left.name,
        right.name,
        level=level,  # type: ignore[arg-type]
        country1=(left.countries or [None])[0],
        country2=(right.countries or [None])[0],
    )


def judge(
    actor: Member | None,
    *,
    network: Network,
    level: str,
    first: Entity,
    second: Entity,
    verdict: str,
) -> Judgement:
    """A researcher (or a coordinator) of the network judges two records; judging the same
    pair again replaces the judgement (the audit log keeps every one)."""
    if actor is not None and not access.may_judge(actor, network):
        raise PermissionDenied
    if level not in Level.values:
        raise ValidationError({"level": _("Choose entity or group.")})
    if verdict not in Verdict.values:
        raise ValidationError({"verdict": _("Choose same, different or unsure.")})
    if first.network_id != network.pk or second.network_id != network.pk:
        raise ValidationError(_("Choose entities of this network's archive."))
    if first.pk == second.pk:
        raise ValidationError(_("Choose two different records."))
    left, right = sorted((first, second), key=lambda e: e.pk)
    comparison = compare_records(left, right, level)
    values: dict[str, Any] = {
        "verdict": verdict,
        "score": comparison.score,
        "reasons": list(comparison.reasons),
        "judged_by": actor if getattr(actor, "is_authenticated", False) else None,
        "judged_at": timezone.now(),
    }
    with transaction.atomic():
        judgement, _created = Judgement.objects.update_or_create(
            network=network, level=level, left=left, right=right, defaults=values
        )
        audit.record(
            actor,
            "archive.judgement",
            judgement,
            level=level,
            left=left.pk,
            right=right.pk,
            verdict=verdict,
        )
    return judgement


def withdraw(actor: Member | None, judgement: Judgement) -> None:
    """Take a judgement back: its records leave the cluster it joined them in."""
    if actor is not None and not access.may_judge(actor, judgement.network):
        raise PermissionDenied
    with transaction.atomic():
        audit.record(
            actor,
            "archive.judgement.withdraw",
            judgement,
            left=judgement.left_id,
            right=judgement.right_id,
            verdict=judgement.verdict,
        )
        judgement.delete()
