"""Every permissioned read of the archive goes through one of these functions.

Entities are shared by the members of their network. An item (testimony, wage record, link,
legal tactic) is read by whoever its visibility allows: its organization always; the network
when it is shared; anyone when it is public. A testimony's redactions are read by its own
organization only: everyone else, and every export, gets the shared copy.
"""

from typing import Any

from django.http import Http404

from internationale.archive.models import Entity, LegalTactic, Link, Testimony, WageRecord
from internationale.core.visibility import reader_ids
from internationale.network.models import Member, Network


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
