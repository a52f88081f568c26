"""What the relay keeps from other organizations, for the leak harness.

A relay, its prompt and its legs are read by the whole network (the outsider of Beta
included), so they carry no marker. What only Alpha may read is a private report: its
title, its speaker's pseudonym, its text (the original transcript) and its translation.
A public report and a network report sit beside it, and the relay has a private podcast
feed, whose secret the harness uses too: the feed must never carry the private report.
"""

from typing import Any

from internationale.core.leaks import Planted, register
from internationale.network import actions as network_actions
from internationale.network.models import Member
from internationale.relay import actions


@register
def plant(world: dict[str, Any], marker: str) -> Planted:
    coordinator, member, alpha = world["coordinator"], world["member"], world["alpha"]
    circle_a = network_actions.create_circle(
        coordinator, organization=alpha, name="Leak circle A", members=[member]
    )
    circle_b = network_actions.create_circle(
        Member.objects.get(display_name="Coordinator B"),
        organization=world["beta"],
        name="Leak circle B",
        members=[world["outsider"]],
    )
    relay = actions.start_relay(
        coordinator,
        network=world["network"],
        title="Leak relay",
        prompt="What does the shift cost?",
        circles=[circle_a, circle_b],
        languages=["en", "pt"],
    )
    leg = relay.legs.get(position=0)

    def report(visibility: str, text: str, **names: str) -> Any:
        return actions.add_text_report(
            member,
            leg=leg,
            fields=actions.ReportFields(
                title=names.get("title", f"{visibility} report"),
                speaker=names.get("speaker", "Lantern"),
                language="en",
                visibility=visibility,
            ),
            text=text,
        )

    private = report(
        "private",
        f"Private words {marker}",
        title=f"Private title {marker}",
        speaker=f"Speaker {marker}",
    )
    actions.save_transcript(
        world["translator"],
        report=private,
        language="pt",
        lines=[actions.Line(0, 1000, f"Palavras privadas {marker}")],
    )
    shared = report("network", "Words for the network.")
    public = report("public", "Words for everyone.")
    actions.set_feed(coordinator, relay=relay, feed="private")
    return Planted(
        objects=[relay, leg, private, shared, public],
        values={
            "kind": ["ogg", "mp3"],
            "language": ["en", "pt"],
            "secret": [relay.feed_secret],
        },
    )
