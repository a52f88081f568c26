"""The one test base of Internationale, with named personas.

Personas, set up through actions, once per test class:

- `coordinator`, `member`, `translator`, `steward`: of organization A ("Alpha")
- `outsider`: member of organization B ("Beta"), which shares the network with A
- `stranger`: member of organization C ("Gamma"), in another network altogether
- anonymous: a client that has not logged in (`self.client`)

Every persona's password is PASSWORD.
"""

from typing import Any

from django.test import Client, TestCase

PASSWORD = "correct horse battery staple"


def production_environment(**settings: str) -> dict[str, str]:
    """The environment of this process without any of the site's settings (so a child
    process starts as in production), plus `settings`."""
    import os

    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("INTERNATIONALE_", "DATABASE_URL", "DJANGO_"))
    }
    return {**environment, **settings}


def make_world() -> dict[str, Any]:
    """Create the personas' world through actions; returns it by name."""
    from internationale.network import actions
    from internationale.network.models import Member

    network = actions.create_network(None, name="Test Network")
    other_network = actions.create_network(None, name="Other Network")

    def organization(net: Any, name: str, country: str, zone: str, coordinator: str) -> Any:
        _invitation, token = actions.invite_organization(None, network=net)
        return actions.accept_organization_invitation(
            None,
            token=token,
            display_name=coordinator,
            password=PASSWORD,
            name=name,
            country=country,
            languages=["en"],
            time_zone=zone,
            description="",
            visibility="network",
        )

    def join(
        org: Any,
        name: str,
        role: str = "member",
        capabilities: tuple[str, ...] = (),
    ) -> Member:
        _invitation, token = actions.invite_person(
            None, organization=org, role=role, capabilities=capabilities
        )
        return actions.accept_person_invitation(
            None, token=token, display_name=name, password=PASSWORD
        )

    alpha = organization(network, "Alpha Union", "US", "America/Chicago", "Coordinator A")
    beta = organization(network, "Beta Collective", "BR", "America/Sao_Paulo", "Coordinator B")
    gamma = organization(other_network, "Gamma Front", "BD", "Asia/Dhaka", "Coordinator C")
    return {
        "network": network,
        "other_network": other_network,
        "alpha": alpha,
        "beta": beta,
        "gamma": gamma,
        "coordinator": Member.objects.get(display_name="Coordinator A"),
        "member": join(alpha, "Member A"),
        "translator": join(alpha, "Translator A", capabilities=("translator",)),
        "steward": join(alpha, "Steward A", capabilities=("steward",)),
        "outsider": join(beta, "Outsider B"),
        "stranger": join(gamma, "Stranger C"),
    }


class InternationaleTestCase(TestCase):
    """Test base: the personas above, and a client logged in as any of them."""

    network: Any
    other_network: Any
    alpha: Any
    beta: Any
    gamma: Any
    coordinator: Any
    member: Any
    translator: Any
    steward: Any
    outsider: Any
    stranger: Any

    @classmethod
    def setUpTestData(cls) -> None:
        for name, value in make_world().items():
            setattr(cls, name, value)

    def client_for(self, persona: Any) -> Client:
        """A client logged in as `persona` (None: an anonymous client)."""
        client = Client()
        if persona is not None:
            client.force_login(persona)
        return client

    def fresh(self, obj: Any) -> Any:
        """`obj` reloaded from the database (its cached memberships dropped)."""
        return type(obj).objects.get(pk=obj.pk)
