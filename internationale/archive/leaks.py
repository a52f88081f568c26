"""What the archive keeps from other organizations, for the leak harness.

Entities are read by the whole network (the outsider of Beta included), so they carry no
marker. What only Alpha may read is its private knowledge: a testimony (title, speaker and
text), its translation, a wage record (its job, which the pay tables show, and its source),
a link's evidence and a legal tactic's issue; and, in a testimony Alpha shares with the
network, the passages between double brackets. All of it names the entities of one group,
as Beta's own testimony does, so the group shows up on the cross-reference, the group's
page, the map and the entity pages the outsider reads, where any private evidence would
show. Alpha's shared testimony repeats a sentence of Beta's with a redaction inside it, so
the recurring rhetoric is tried too.

`tactic` names no model (a legal tactic's model is `LegalTactic`), so it is given as a
value, as are the search results' `kind` and `object_id` and the translated `item`.
"""

from datetime import date
from typing import Any

from internationale.archive import actions, resolution
from internationale.core.leaks import Planted, register
from internationale.core.visibility import Visibility

OBSERVED = date(2026, 3, 1)
SCRIPT = "The manager told us that a union will only take our money and close the plant."


@register
def plant(world: dict[str, Any], marker: str) -> Planted:
    network, alpha, beta = world["network"], world["alpha"], world["beta"]
    member, outsider = world["member"], world["outsider"]

    def entity(name: str, country: str, key: str) -> Any:
        return actions.save_entity(
            member,
            network=network,
            fields=actions.EntityFields(name=name, countries=[country], key=key),
        )

    holding = entity("Leakwell Holding SE", "LU", "leak-holding")
    mill = entity("Leakwell Textiles Ltda", "BR", "leak-mill")
    depot = entity("Leakwell Depot Inc", "US", "leak-depot")

    def testimony(organization: Any, author: Any, **fields: str) -> Any:
        return actions.record_testimony(
            author,
            network=network,
            organization=organization,
            testimony=actions.TestimonyFields(language="en", **fields),
        )

    private = testimony(
        alpha,
        member,
        title=f"Private testimony {marker}",
        speaker=f"Speaker {marker}",
        text=f"Leakwell Textiles Ltda locked the gates of the mill. {marker}",
    )
    redacted = testimony(
        alpha,
        member,
        title="Night shift at the mill",
        speaker="Lantern",
        text=(
            f"Leakwell Textiles Ltda cut the night premium [[{marker}]].\n\n"
            f"Leakwell Depot Inc [[paid the inspector {marker}]].\n\n"
            f"{SCRIPT.removesuffix('.')} [[{marker}]]."
        ),
        consent="network",
        visibility=Visibility.NETWORK,
    )
    beta_testimony = testimony(
        beta,
        outsider,
        title="Heat at the depot",
        speaker="Forklift",
        text=f"Leakwell Textiles Ltda runs the depot too.\n\n{SCRIPT}",
        consent="network",
        visibility=Visibility.NETWORK,
    )
    translation = actions.save_translation(
        world["translator"],
        item=private,
        language="pt",
        title=f"Depoimento privado {marker}",
        text=f"A Leakwell Textiles Ltda trancou os portões da fábrica. {marker}",
    )
    shared_translation = actions.save_translation(
        world["translator"],
        item=redacted,
        language="pt",
        title="Turno da noite na fábrica",
        text=f"A Leakwell Textiles Ltda cortou o adicional noturno [[{marker}]].",
    )
    wage = actions.record_wage(
        member,
        network=network,
        organization=alpha,
        wage=actions.Wage(
            employer=mill,
            country="BR",
            city="Americana",
            job=f"Weaver {marker}",
            pay="1500.00",
            currency="BRL",
            period="month",
            hours="220",
            observed_on=OBSERVED,
            source=f"Payslip {marker}",
        ),
    )
    shared_wage = actions.record_wage(
        outsider,
        network=network,
        organization=beta,
        wage=actions.Wage(
            employer=depot,
            country="US",
            city="Newark",
            job="loader",
            pay="18.00",
            currency="USD",
            period="hour",
            hours="1",
            observed_on=OBSERVED,
            visibility=Visibility.NETWORK,
        ),
    )
    link = actions.record_link(
        member,
        network=network,
        organization=alpha,
        link=actions.LinkFields(
            kind="owns",
            source=holding,
            target=mill,
            evidence=f"Registry extract {marker}",
        ),
    )
    tactic = actions.record_tactic(
        member,
        network=network,
        organization=alpha,
        tactic=actions.TacticFields(
            jurisdiction="São Paulo labour court",
            issue=f"Injunction {marker}",
            tactic=f"An injunction against the lockout at Leakwell Textiles Ltda. {marker}",
            outcome="pending",
            against=mill,
        ),
    )
    judgement = resolution.judge(
        world["coordinator"],
        network=network,
        level="group",
        first=mill,
        second=depot,
        verdict="same",
    )
    return Planted(
        objects=[
            holding,
            mill,
            depot,
            private,
            redacted,
            beta_testimony,
            translation,
            shared_translation,
            judgement,
        ],
        values={
            "tactic": [str(tactic.pk)],
            "item": [str(private.pk), str(redacted.pk), str(tactic.pk)],
            "kind": ["testimony", "translation", "tactic", "wage", "link"],
            "object_id": [
                str(pk)
                for pk in (private.pk, translation.pk, tactic.pk, wage.pk, link.pk, shared_wage.pk)
            ],
        },
    )
