from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.urls import reverse

from internationale.core.commands import LocalizedCommand
from internationale.network import actions
from internationale.network.commands import network_named, organization_named
from internationale.network.models import Capability, Role


class Command(LocalizedCommand):
    help = (
        "Make a single-use invitation link: a person to an organization, or an "
        "organization to a network."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument("--organization", help="short name of the organization a person joins")
        target.add_argument("--network", help="short name of the network an organization joins")
        parser.add_argument("--role", choices=Role.values, default=Role.MEMBER)
        parser.add_argument(
            "--capability",
            action="append",
            choices=Capability.values,
            default=[],
            dest="capabilities",
        )
        parser.add_argument("--note", default="")

    def run(self, *args: Any, **options: Any) -> None:
        if options["organization"]:
            organization = organization_named(options["organization"])
            _invitation, token = actions.invite_person(
                None,
                organization=organization,
                role=options["role"],
                capabilities=options["capabilities"],
                note=options["note"],
            )
        else:
            network = network_named(options["network"])
            _invitation, token = actions.invite_organization(
                None, network=network, note=options["note"]
            )
        self.stdout.write(settings.SITE_URL + reverse("network:invitation", args=[token]))
