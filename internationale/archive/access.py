"""Every permissioned read of the archive goes through one of these functions.

Entities are shared by the members of their network. An item (testimony, wage record, link,
legal tactic) is read by whoever its visibility allows: its organization always; the network
when it is shared; anyone when it is public. A testimony's redactions are read by its own
organization only: everyone else, and every export, gets the shared copy.
"""

from typing import Any

from django.db.models import Q
from django.http import Http404

from internationale.archive.models import (
    Entity,
    Judgement,
    LegalTactic,
    Link,
    Mention,
    Testimony,
    Translation,
    WageRecord,
)
from internationale.core.visibility import Visibility, reader_ids
from internationale.network.models import (
    Capability,
    Member,
    Membership,
    Network,
    Organization,
    Role,
)
from internationale.relay.models import Report


def is_archive_member(member: Member | None, network: Network) -> bool:
    return member is not None and network.pk in member.network_ids()


def entities_of(member: Member | None, network: Network) -> Any:
    if not is_archive_member(member, network):
        raise Http404
    return Entity.objects.filter(network=network)


def testimonies(member: Member | None, network: Network) -> Any:
    return Testimony.objects.visible_to(member).filter(network=network)


def wage_records(member: Member | None, network: Network) -> Any:
    return WageRecord.objects.visible_to(member).filter(network=network).select_related("employer")


def links(member: Member | None, network: Network) -> Any:
    return (
        Link.objects.visible_to(member)
        .filter(network=network)
        .select_related("source", "target", "organization")
    )


def legal_tactics(member: Member | None, network: Network) -> Any:
    return LegalTactic.objects.visible_to(member).filter(network=network)


def testimony_text(member: Member | None, testimony: Testimony) -> str:
    """What `member` reads of a testimony: whole for its organization, redactions cut for
    everyone else."""
    organization_ids, _networks = reader_ids(member)
    if testimony.organization_id in organization_ids:
        return testimony.own_text
    return testimony.shared_text


def may_judge(member: Member | None, network: Network) -> bool:
    """Researchers and coordinators of the network's organizations judge matches."""
    if not is_archive_member(member, network):
        return False
    assert member is not None
    return any(
        role == Role.COORDINATOR or Capability.RESEARCHER in (capabilities or [])
        for role, capabilities in Membership.objects.filter(
            member=member, organization__networkmembership__network=network
        ).values_list("role", "capabilities")
    )


def may_record(member: Member | None, network: Network) -> list[Organization]:
    """The organizations of `network` a member may record knowledge for (their own)."""
    if not is_archive_member(member, network):
        return []
    assert member is not None
    return list(network.organizations.filter(pk__in=member.organization_ids()).order_by("name"))


def access_entity(member: Member | None, entity_id: int) -> Entity:
    entity = Entity.objects.select_related("network").filter(pk=entity_id).first()
    if entity is None or not is_archive_member(member, entity.network):
        raise Http404
    return entity


def access_testimony(member: Member | None, testimony_id: int) -> Testimony:
    testimony = (
        Testimony.objects.visible_to(member)
        .select_related("network", "organization")
        .filter(pk=testimony_id)
        .first()
    )
    if testimony is None:
        raise Http404
    return testimony


def access_tactic(member: Member | None, tactic_id: int) -> LegalTactic:
    tactic = (
        LegalTactic.objects.visible_to(member)
        .select_related("network", "organization", "against")
        .filter(pk=tactic_id)
        .first()
    )
    if tactic is None:
        raise Http404
    return tactic


def is_own(member: Member | None, item: Any) -> bool:
    organization_ids, _networks = reader_ids(member)
    return bool(item.organization_id in organization_ids)


def translation_text(member: Member | None, translation: Translation) -> str:
    return translation.own_text if is_own(member, translation.item) else translation.shared_text


def mentions_of(member: Member | None, network: Network, entities: Any) -> Any:
    """The mentions of `entities` in texts `member` may read; a mention inside a redaction
    only for the organization that recorded it."""
    organization_ids, _networks = reader_ids(member)
    readable_testimonies = testimonies(member, network).values("pk")
    readable_tactics = legal_tactics(member, network).values("pk")
    readable_reports = (
        Report.objects.visible_to(member)
        .filter(network=network)
        .exclude(
            Q(organization__visibility=Visibility.PRIVATE)
            & ~Q(organization_id__in=organization_ids)
        )
        .values("pk")
    )
    own = (
        Q(testimony__organization__in=organization_ids)
        | Q(translation__testimony__organization__in=organization_ids)
        | Q(translation__tactic__organization__in=organization_ids)
    )
    return (
        Mention.objects.filter(network=network, entity__in=entities)
        .filter(
            Q(testimony__in=readable_testimonies)
            | Q(tactic__in=readable_tactics)
            | Q(translation__testimony__in=readable_testimonies)
            | Q(translation__tactic__in=readable_tactics)
            | Q(transcript__report__in=readable_reports)
        )
        .filter(Q(shared=True) | own)
        .select_related(
            "entity",
            "testimony__organization",
            "tactic__organization",
            "translation__testimony__organization",
            "translation__tactic__organization",
            "transcript__report__organization",
        )
    )


def access_judgement(member: Member | None, judgement_id: int) -> Judgement:
    judgement = Judgement.objects.select_related("network").filter(pk=judgement_id).first()
    if judgement is None or not is_archive_member(member, judgement.network):
        raise Http404
    return judgement
