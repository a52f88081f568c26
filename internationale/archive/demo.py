"""The demo network's archive: invented knowledge from its five places.

Every company, person and figure here is invented. One invented corporate group, Corvane,
appears in four of the five places under different names, scripts and legal forms, owned
by one holding, so that the matcher and the cross-reference can find it; the other entities
are local firms. Organizations record what they know through the archive's actions: wage
records, links with their evidence, a testimony with a redaction, legal tactics.
"""

from datetime import date

from internationale.archive import actions, resolution
from internationale.archive.models import Entity, Level, Testimony, Verdict
from internationale.core.money import Money
from internationale.network.demo import DEMO_NETWORK
from internationale.network.models import Member, Network, Organization

SOUTHSIDE = "Southside Warehouse Workers Committee"
ANTEP = "Antep Refugee Workers' Union"
YABA = "Yaba Student Workers' Union"
ZONA_LESTE = "Coletivo Entregadores da Zona Leste"
BURIGANGA = "Buriganga Garment Workers' Union"

# key, name, aliases, countries
ENTITIES = (
    ("corvane-holding", "Corvane Holding SE", ("Corvane Group", "Corvane"), ("LU",)),
    ("corvane-us", "Corvane Logistics, Inc.", ("Corvane Chicago DC",), ("US",)),
    ("corvane-tr", "Corvane Lojistik A.Ş.", ("Corvane Lojistik", "Корвейн Лоджистик"), ("TR",)),
    ("corvane-ng", "Corvane Nigeria Limited", ("Corvane Port Services",), ("NG",)),
    ("corvane-br", "Corvane Logística Ltda.", ("Corvane Brasil",), ("BR",)),
    ("rapidao", "Rapidão Entregas Ltda.", (), ("BR",)),
    ("kestrel", "Kestrel Apparel Sourcing Ltd", ("কেস্ট্রেল অ্যাপারেল",), ("BD", "GB")),
    ("meghna", "Meghna Knit Composite Ltd.", ("মেঘনা নিট কম্পোজিট",), ("BD",)),
    ("antep-tekstil", "Antep Örme Tekstil San. ve Tic. Ltd. Şti.", (), ("TR",)),
    ("lagos-agency", "Harbourline Staffing Agency Ltd", (), ("NG",)),
    ("corvane-bd", "কোরভেন লজিস্টিকস বাংলাদেশ লিমিটেড", ("Corvane Logistics Bangladesh",), ("BD",)),
    ("corvane-us-dc", "Corvane Logistics Inc", (), ("US",)),
)

# owner, asset, share in percent
OWNERSHIP = (
    ("corvane-holding", "corvane-us", "100"),
    ("corvane-holding", "corvane-tr", "100"),
    ("corvane-holding", "corvane-ng", "70"),
    ("corvane-holding", "corvane-br", "100"),
)


def demo_exists() -> bool:
    return Entity.objects.filter(network__name=DEMO_NETWORK).exists()


def load_demo() -> None:
    network = Network.objects.get(name=DEMO_NETWORK)
    organizations = {o.name: o for o in network.organizations.all()}
    people = {
        m.display_name: m
        for m in Member.objects.filter(memberships__organization__in=organizations.values())
    }
    entities = {
        key: actions.save_entity(
            people["Tunde"],
            network=network,
            fields=actions.EntityFields(name=name, aliases=aliases, countries=countries, key=key),
        )
        for key, name, aliases, countries in ENTITIES
    }
    _links(network, organizations, people, entities)
    _wages(network, organizations, people, entities)
    _testimonies_and_tactics(network, organizations, people, entities)
    _translations_and_more(network, organizations, people)
    _rates(network, people)
    _judgements(network, people, entities)


def _links(
    network: Network,
    organizations: dict[str, Organization],
    people: dict[str, Member],
    entities: dict[str, Entity],
) -> None:
    for owner, asset, share in OWNERSHIP:
        actions.record_link(
            people["Tunde"],
            network=network,
            organization=organizations[YABA],
            link=actions.LinkFields(
                kind="owns",
                source=entities[owner],
                target=entities[asset],
                share=share,
                evidence="Annual report of Corvane Holding SE, list of subsidiaries (invented).",
                visibility="network",
                key=f"owns-{asset}",
            ),
        )
    for source, target, kind, organization, member, evidence in (
        ("meghna", "kestrel", "supplies", BURIGANGA, "Rafiq", "Shipping labels seen on the line."),
        ("kestrel", "corvane-us", "contracts", BURIGANGA, "Rafiq", "Bills of lading, Chittagong."),
        ("corvane-ng", "kestrel", "ships_for", YABA, "Tunde", "Container manifests at Apapa."),
        (
            "lagos-agency",
            "corvane-ng",
            "supplies",
            YABA,
            "Tunde",
            "Agency payslips name the client.",
        ),
        (
            "rapidao",
            "corvane-br",
            "contracts",
            ZONA_LESTE,
            "Caio",
            "The app's terms name the client.",
        ),
        ("antep-tekstil", "corvane-tr", "contracts", ANTEP, "Omar", "Delivery notes at the gate."),
    ):
        actions.record_link(
            people[member],
            network=network,
            organization=organizations[organization],
            link=actions.LinkFields(
                kind=kind,
                source=entities[source],
                target=entities[target],
                evidence=evidence,
                visibility="network",
                key=f"{source}-{kind}-{target}",
            ),
        )


def _wages(
    network: Network,
    organizations: dict[str, Organization],
    people: dict[str, Member],
    entities: dict[str, Entity],
) -> None:
    for key, employer, organization, member, country, city, job, pay, currency, period, hours in (
        (
            "w-chi-1",
            "corvane-us",
            SOUTHSIDE,
            "Jamal",
            "US",
            "Chicago",
            "picker",
            "17.25",
            "USD",
            "hour",
            "1",
        ),
        (
            "w-chi-2",
            "corvane-us",
            SOUTHSIDE,
            "Jamal",
            "US",
            "Chicago",
            "forklift driver",
            "19.50",
            "USD",
            "hour",
            "1",
        ),
        (
            "w-gzt-1",
            "corvane-tr",
            ANTEP,
            "Omar",
            "TR",
            "Gaziantep",
            "loader",
            "22104",
            "TRY",
            "month",
            "225",
        ),
        (
            "w-gzt-2",
            "antep-tekstil",
            ANTEP,
            "Omar",
            "TR",
            "Gaziantep",
            "knitting machine operator",
            "19500",
            "TRY",
            "month",
            "240",
        ),
        (
            "w-lag-1",
            "lagos-agency",
            YABA,
            "Ada",
            "NG",
            "Lagos",
            "night loader",
            "3500",
            "NGN",
            "day",
            "10",
        ),
        (
            "w-apapa-1",
            "corvane-ng",
            YABA,
            "Ada",
            "NG",
            "Lagos",
            "port loader",
            "6000",
            "NGN",
            "day",
            "12",
        ),
        (
            "w-gru-1",
            "corvane-br",
            ZONA_LESTE,
            "Caio",
            "BR",
            "Guarulhos",
            "warehouse picker",
            "1900",
            "BRL",
            "month",
            "220",
        ),
        (
            "w-sp-1",
            "rapidao",
            ZONA_LESTE,
            "Caio",
            "BR",
            "São Paulo",
            "courier",
            "1650",
            "BRL",
            "month",
            "220",
        ),
        (
            "w-dh-1",
            "meghna",
            BURIGANGA,
            "Rafiq",
            "BD",
            "Dhaka",
            "sewing machine operator",
            "12500",
            "BDT",
            "month",
            "208",
        ),
    ):
        actions.record_wage(
            people[member],
            network=network,
            organization=organizations[organization],
            wage=actions.Wage(
                employer=entities[employer],
                country=country,
                city=city,
                sector="logistics" if "corvane" in employer or "agency" in employer else "garments",
                job=job,
                pay=pay,
                currency=currency,
                period=period,
                hours=hours,
                observed_on=date(2026, 9, 15),
                source="Payslips collected by the organization.",
                visibility="network",
                key=key,
            ),
        )


def _testimonies_and_tactics(
    network: Network,
    organizations: dict[str, Organization],
    people: dict[str, Member],
    entities: dict[str, Entity],
) -> None:
    actions.record_testimony(
        people["Jamal"],
        network=network,
        organization=organizations[SOUTHSIDE],
        testimony=actions.TestimonyFields(
            title="The scanner counts our minutes",
            speaker="Night Owl",
            language="en",
            text=(
                "At Corvane the scanner counts every minute we are not picking. The shift "
                "manager [[Gary on the B dock]] reads the list out loud before the break. "
                "They say the numbers come from head office, the same in every country. "
                "When we asked for a union, the manager told us the company is like a family "
                "and a family does not need a union."
            ),
            consent="network",
            visibility="network",
            key="t-scanner",
        ),
    )
    actions.record_testimony(
        people["Leyla"],
        network=network,
        organization=organizations[ANTEP],
        testimony=actions.TestimonyFields(
            title="Kayıtsız çalışıyoruz",
            speaker="İğne",
            language="tr",
            text=(
                "Corvane Lojistik'in deposunda sözleşmesiz çalışıyoruz. Ustabaşı "
                "[[Kemal Bey]] şikâyet edenin ertesi gün gelmemesini söyledi. Sayılar "
                "merkezden geliyor, diyorlar."
            ),
            consent="network",
            visibility="network",
            key="t-kayitsiz",
        ),
    )
    for key, organization, member, jurisdiction, issue, tactic, outcome, against in (
        (
            "l-nlrb",
            SOUTHSIDE,
            "Marisol",
            "United States (NLRB, Region 13)",
            "Discipline for time off task measured by scanners",
            "A charge of unfair labor practice, with the scanner lists as evidence.",
            "pending",
            "corvane-us",
        ),
        (
            "l-sgk",
            ANTEP,
            "Leyla",
            "Türkiye (SGK, labour inspection)",
            "Unregistered workers in the warehouse",
            "A complaint to the social security inspectorate, filed by the union, not by workers.",
            "won",
            "corvane-tr",
        ),
        (
            "l-trt",
            ZONA_LESTE,
            "Bia",
            "Brasil (TRT-2, São Paulo)",
            "Couriers blocked by the app without reason",
            "A collective action for reinstatement and the reasons for each block.",
            "settled",
            "rapidao",
        ),
    ):
        actions.record_tactic(
            people[member],
            network=network,
            organization=organizations[organization],
            tactic=actions.TacticFields(
                jurisdiction=jurisdiction,
                issue=issue,
                tactic=tactic,
                outcome=outcome,
                against=entities[against],
                visibility="network",
                key=key,
            ),
        )


def _translations_and_more(
    network: Network, organizations: dict[str, Organization], people: dict[str, Member]
) -> None:
    turkish = Testimony.objects.get(network=network, key="t-kayitsiz")
    actions.save_translation(
        people["Ada"],
        item=turkish,
        language="en",
        title="We work unregistered",
        text=(
            "We work without contracts in the Corvane Lojistik warehouse. The foreman "
            "[[Kemal Bey]] said that whoever complains need not come back the next day. "
            "The numbers come from head office, they say. He told us the company is like a "
            "family, and a family does not need a union."
        ),
    )
    brazilian = actions.record_testimony(
        people["Bia"],
        network=network,
        organization=organizations[ZONA_LESTE],
        testimony=actions.TestimonyFields(
            title="O salário chega atrasado",
            speaker="Garoa",
            language="pt",
            text=(
                "Na Corvane Brasil o salário chega atrasado todo mês e ninguém explica o "
                "desconto. O supervisor disse que a empresa é como uma família, e família não "
                "precisa de sindicato."
            ),
            consent="network",
            visibility="network",
            key="t-salario",
        ),
    )
    actions.save_translation(
        people["Ada"],
        item=brazilian,
        language="en",
        title="The pay comes late",
        text=(
            "At Corvane Brasil the pay comes late every month and no one explains the "
            "deduction. The supervisor said the company is like a family, and a family does "
            "not need a union."
        ),
    )
    actions.record_testimony(
        people["Shirin"],
        network=network,
        organization=organizations[BURIGANGA],
        testimony=actions.TestimonyFields(
            title="Night shifts before the Kestrel shipment",
            speaker="Moyna",
            language="en",
            text=(
                "Before each Kestrel Apparel Sourcing Ltd shipment the line works through the "
                "night. [[Our "
                "supervisor's cousin]] keeps the gate locked until the count is done."
            ),
            consent="organization",
            visibility="private",
            key="t-night-shifts",
        ),
    )


# currency, amount in that currency, worth in US dollars (on 1 September 2026)
RATES = (
    ("TRY", "4100.00", "100.00"),
    ("NGN", "150000.00", "100.00"),
    ("BRL", "540.00", "100.00"),
    ("BDT", "12200.00", "100.00"),
)


def _rates(network: Network, people: dict[str, Member]) -> None:
    for currency, amount, worth in RATES:
        actions.record_rate(
            people["Tunde"],
            network=network,
            on=date(2026, 9, 1),
            amount=Money.parse(amount, currency),
            common=Money.parse(worth, "USD"),
        )


def _judgements(network: Network, people: dict[str, Member], entities: dict[str, Entity]) -> None:
    resolution.judge(
        people["Tunde"],
        network=network,
        level=Level.ENTITY,
        first=entities["corvane-us"],
        second=entities["corvane-us-dc"],
        verdict=Verdict.SAME,
    )
    resolution.judge(
        people["Rafiq"],
        network=network,
        level=Level.ENTITY,
        first=entities["corvane-us"],
        second=entities["corvane-br"],
        verdict=Verdict.DIFFERENT,
    )
