"""Every permissioned read of the relay goes through one of these functions.

A relay, its legs and the prompt are read by the members of its network. A report is read
by whoever its visibility allows (`Report.objects.visible_to`): its organization always;
the network when it is shared; anyone when it is public. A report's transcripts and
translations go with it. Feeds and the published mosaic show only what the public may read,
or, behind a private feed's secret link, what the network may read.
"""

import hmac
from dataclasses import dataclass

from django.http import Http404

from internationale.network.models import Capability, Member, NetworkMembership
from internationale.relay.models import Feed, Leg, Relay, Report, Transcript


def access_relay(member: Member | None, relay_id: int) -> Relay:
    relay = Relay.objects.visible_to(member).filter(pk=relay_id).select_related("network").first()
    if relay is None:
        raise Http404
    return relay


def access_leg(member: Member | None, leg_id: int) -> Leg:
    leg = (
        Leg.objects.filter(pk=leg_id, relay__in=Relay.objects.visible_to(member))
        .select_related("relay__network", "circle__organization")
        .first()
    )
    if leg is None:
        raise Http404
    return leg


def access_report(member: Member | None, report_id: int) -> Report:
    report = (
        Report.objects.visible_to(member)
        .filter(pk=report_id)
        .select_related("leg__relay__network", "leg__circle", "organization", "responds_to")
        .first()
    )
    if report is None:
        raise Http404
    return report


def access_transcript(member: Member | None, report_id: int, language: str) -> Transcript:
    report = access_report(member, report_id)
    transcript = report.transcripts.filter(language=language).first()
    if transcript is None:
        raise Http404
    return transcript


def reports_of(member: Member | None, relay: Relay) -> list[Report]:
    """The relay's reports `member` may read, in the order of the chain. Each has
    `answered`: the report it responds to, when the reader may read that one too."""
    reports = list(
        Report.objects.visible_to(member)
        .filter(leg__relay=relay)
        .select_related("leg__circle", "organization", "responds_to")
        .prefetch_related("transcripts__segments")
        .order_by("leg__position", "created_at", "id")
    )
    readable = {report.pk for report in reports}
    for report in reports:
        report.answered = report.responds_to if report.responds_to_id in readable else None
    return reports


def answered(member: Member | None, report: Report) -> Report | None:
    """The report `report` responds to, if `member` may read it."""
    if report.responds_to_id is None:
        return None
    return Report.objects.visible_to(member).filter(pk=report.responds_to_id).first()


def access_feed(relay_id: int, secret: str = "") -> tuple[Relay, str]:
    """A relay's feed and who it speaks to: 'public' (public reports only) or 'network'
    (also what the network may read, behind the private feed's secret)."""
    relay = Relay.objects.filter(pk=relay_id).select_related("network").first()
    if relay is None or relay.feed == Feed.NONE:
        raise Http404
    if secret:
        if relay.feed != Feed.PRIVATE or not hmac.compare_digest(secret, relay.feed_secret):
            raise Http404
        return relay, "network"
    if relay.feed != Feed.PUBLIC:
        raise Http404
    return relay, "public"


def feed_reports(relay: Relay, scope: str) -> list[Report]:
    """The recorded reports a feed carries: public ones, or for the network's private feed
    those its members may read (never an organization's private ones)."""
    shown = ["public"] if scope == "public" else ["public", "network"]
    return list(
        Report.objects.filter(leg__relay=relay, visibility__in=shown, kind="audio")
        .exclude(audio_mp3="")
        .select_related("leg__circle__organization")
        .prefetch_related("transcripts__segments")
        .order_by("leg__position", "created_at", "id")
    )


def access_feed_report(relay_id: int, report_id: int, secret: str = "") -> Report:
    relay, scope = access_feed(relay_id, secret)
    report = next((r for r in feed_reports(relay, scope) if r.pk == report_id), None)
    if report is None:
        raise Http404
    return report


def access_dossier(member: Member | None, relay_id: int) -> tuple[Relay, list[Report]]:
    """A relay's dossier: for the network's members, every report they may read; for anyone
    else, once the relay is published with a public feed, its public reports."""
    relay = Relay.objects.filter(pk=relay_id).select_related("network").first()
    if relay is None:
        raise Http404
    if member is not None and relay.network_id in member.network_ids():
        return relay, reports_of(member, relay)
    if relay.feed != Feed.PUBLIC:
        raise Http404
    return relay, reports_of(None, relay)


@dataclass(frozen=True)
class Needed:
    """A report waiting for a version in a language: none yet (`transcript` None), or a
    draft that someone should finish or review."""

    report: Report
    language: str
    transcript: Transcript | None


def needed_languages(report: Report, legs: list[Leg]) -> list[str]:
    """The languages a report must be available in: its relay's, and those of the
    organization of the next circle (whose members respond to it)."""
    codes = list(report.leg.relay.languages)
    following = next((leg for leg in legs if leg.position == report.leg.position + 1), None)
    if following is not None:
        codes += [c for c in following.circle.organization.languages if c not in codes]
    return [c for c in codes if c != report.language]


def translation_queue(member: Member) -> dict[str, list[Needed]]:
    """What `member` can translate, by target language: reports they may read in the relays
    of the networks where they are a translator, needed in a language they read and not yet
    reviewed in it. Work not started comes first, then drafts."""
    networks = {
        m.organization.pk: m
        for m in member.memberships.select_related("organization")
        if m.has(Capability.TRANSLATOR)
    }
    if not networks:
        return {}
    network_ids = NetworkMembership.objects.filter(organization_id__in=networks.keys()).values_list(
        "network_id", flat=True
    )
    reads = list(member.languages) or [member.language]
    reports = (
        Report.objects.visible_to(member)
        .filter(network_id__in=network_ids)
        .select_related("leg__relay", "leg__circle__organization", "organization")
        .prefetch_related("transcripts")
    )
    legs: dict[int, list[Leg]] = {}
    queue: dict[str, list[Needed]] = {code: [] for code in reads}
    for report in reports:
        relay_id = report.leg.relay_id
        if relay_id not in legs:
            legs[relay_id] = list(
                Leg.objects.filter(relay_id=relay_id).select_related("circle__organization")
            )
        versions = {t.language: t for t in report.transcripts.all()}
        if report.language not in versions:
            continue  # nothing to translate from yet
        for code in needed_languages(report, legs[relay_id]):
            if code not in queue:
                continue
            existing = versions.get(code)
            if existing is None or existing.review != "reviewed":
                queue[code].append(Needed(report=report, language=code, transcript=existing))
    for items in queue.values():
        items.sort(key=lambda n: (n.transcript is not None, n.report.created_at))
    return {code: items for code, items in queue.items() if items}
