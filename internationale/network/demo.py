"""A fictional demo network. Every person, organization and company in it is invented."""

from dataclasses import dataclass

from django.db import transaction

from internationale.core.visibility import Visibility
from internationale.network import actions
from internationale.network.models import Member, Network, Organization, Role

DEMO_PASSWORD = "solidarity-demo-2026"
DEMO_NETWORK = "Logistics Workers Relay"


@dataclass(frozen=True)
class DemoPerson:
    name: str
    role: str
    capabilities: tuple[str, ...] = ()
    language: str = "en"
    reads: tuple[str, ...] = ()


@dataclass(frozen=True)
class DemoOrganization:
    name: str
    country: str
    languages: tuple[str, ...]
    time_zone: str
    description: str
    people: tuple[DemoPerson, ...]
    circles: tuple[str, ...]
    visibility: str = Visibility.NETWORK


ORGANIZATIONS = (
    DemoOrganization(
        "Southside Warehouse Workers Committee",
        "US",
        ("en",),
        "America/Chicago",
        "Pickers, packers and drivers at the distribution centres south of the city.",
        (
            DemoPerson("Marisol", Role.COORDINATOR, reads=("en", "es")),
            DemoPerson("Dee", Role.MEMBER, ("steward",), reads=("en",)),
            DemoPerson("Jamal", Role.MEMBER, reads=("en",)),
        ),
        ("Night shift circle",),
        Visibility.PUBLIC,
    ),
    DemoOrganization(
        "Antep Refugee Workers' Union",
        "TR",
        ("tr", "ar"),
        "Europe/Istanbul",
        "Syrian and Turkish workers in the textile and logistics workshops of Gaziantep.",
        (
            DemoPerson("Leyla", Role.COORDINATOR, ("translator",), "tr", ("tr", "ar", "en")),
            DemoPerson("Omar", Role.MEMBER, language="ar", reads=("ar", "tr")),
        ),
        ("Workshop circle",),
    ),
    DemoOrganization(
        "Yaba Student Workers' Union",
        "NG",
        ("en", "yo"),
        "Africa/Lagos",
        "Students who work nights in the port and in delivery to pay for their studies.",
        (
            DemoPerson("Tunde", Role.COORDINATOR, ("researcher",), reads=("en", "yo")),
            DemoPerson("Ada", Role.MEMBER, ("translator",), reads=("en", "yo", "fr")),
        ),
        ("Port circle",),
    ),
    DemoOrganization(
        "Coletivo Entregadores da Zona Leste",
        "BR",
        ("pt",),
        "America/Sao_Paulo",
        "App couriers on motorbikes and bicycles in the east of São Paulo.",
        (
            DemoPerson("Bia", Role.COORDINATOR, ("translator",), "pt", ("pt", "es", "en")),
            DemoPerson("Caio", Role.MEMBER, language="pt", reads=("pt",)),
        ),
        ("Circle of the east zone",),
    ),
    DemoOrganization(
        "Buriganga Garment Workers' Union",
        "BD",
        ("bn",),
        "Asia/Dhaka",
        "Sewing-machine operators and helpers in the garment factories along the river.",
        (
            DemoPerson("Shirin", Role.COORDINATOR, ("steward",), reads=("bn", "en")),
            DemoPerson("Rafiq", Role.MEMBER, ("researcher",), reads=("bn",)),
        ),
        ("Line leaders' circle",),
    ),
)

NOTICES = (
    (
        0,
        "Night shift meeting on Thursday",
        "We meet after the night shift at the usual place. Bring the new rota.",
        Visibility.PRIVATE,
    ),
    (
        0,
        "Peak season: what we are seeing",
        "Mandatory overtime is back at the Corvane Logistics depot. We want to hear whether "
        "other sites of the network see the same.",
        Visibility.NETWORK,
    ),
    (
        1,
        "Ücretler hakkında toplantı / اجتماع حول الأجور",
        "Cumartesi günü atölyede. / يوم السبت في الورشة.",
        Visibility.NETWORK,
    ),
    (
        3,
        "Relato da semana",
        "Três entregadores bloqueados pelo aplicativo sem explicação.",
        Visibility.PUBLIC,
    ),
    (
        4,
        "Translation help wanted",
        "We need help to put our next field report into English and Portuguese.",
        Visibility.NETWORK,
    ),
)


def _describe(member: Member, person: DemoPerson, *, time_zone: str) -> None:
    """Give a demo account the languages it reads and its organization's time zone."""
    actions.update_account(
        member,
        display_name=person.name,
        language=person.language,
        languages=person.reads,
        time_zone=time_zone,
    )


def demo_exists() -> bool:
    return Network.objects.filter(name=DEMO_NETWORK).exists()


@transaction.atomic
def load_demo() -> list[tuple[str, str, str]]:
    """Create the demo network; returns (display name, role and capabilities, organization)
    for each demo account."""
    network = actions.create_network(
        None,
        name=DEMO_NETWORK,
        visibility=Visibility.PUBLIC,
        description="Warehouse, port, courier and garment workers on four continents, "
        "passing field reports from city to city and acting together on the "
        "companies they share.",
    )
    accounts = []
    organizations: list[Organization] = []
    for spec in ORGANIZATIONS:
        first, *others = spec.people
        _invitation, token = actions.invite_organization(None, network=network)
        organization = actions.accept_organization_invitation(
            None,
            token=token,
            display_name=first.name,
            password=DEMO_PASSWORD,
            language=first.language,
            name=spec.name,
            country=spec.country,
            languages=list(spec.languages),
            time_zone=spec.time_zone,
            description=spec.description,
            visibility=spec.visibility,
        )
        coordinator = Member.objects.get(display_name=first.name)
        _describe(coordinator, first, time_zone=spec.time_zone)
        if first.capabilities:
            actions.update_membership(
                coordinator,
                coordinator.memberships.get(),
                role=first.role,
                capabilities=first.capabilities,
            )
        members = [coordinator]
        for person in others:
            _invitation, token = actions.invite_person(
                coordinator,
                organization=organization,
                role=person.role,
                capabilities=person.capabilities,
            )
            member = actions.accept_person_invitation(
                None,
                token=token,
                display_name=person.name,
                password=DEMO_PASSWORD,
                language=person.language,
                time_zone=spec.time_zone,
            )
            _describe(member, person, time_zone=spec.time_zone)
            members.append(member)
        for circle in spec.circles:
            actions.create_circle(
                coordinator, organization=organization, name=circle, members=members
            )
        for person in spec.people:
            label = ", ".join([str(Role(person.role).label), *person.capabilities])
            accounts.append((person.name, label, organization.name))
        organizations.append(organization)
    for index, title, body, visibility in NOTICES:
        organization = organizations[index]
        author = organization.memberships.get(role=Role.COORDINATOR).member
        actions.post_notice(
            author, organization=organization, title=title, body=body, visibility=visibility
        )
    return accounts
