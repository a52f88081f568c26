from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from internationale.core.commands import LocalizedCommand
from internationale.network import actions


class Command(LocalizedCommand):
    help = (
        "Create a network and print an invitation link for its first organization, "
        "whose person becomes that organization's coordinator."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("name", help="the network's name")
        parser.add_argument("--description", default="")
        parser.add_argument(
            "--public", action="store_true", help="anyone may read the network's page"
        )

    def run(self, *args: Any, **options: Any) -> None:
        network = actions.create_network(
            None,
            name=options["name"],
            description=options["description"],
            visibility="public" if options["public"] else "network",
        )
        _invitation, token = actions.invite_organization(None, network=network)
        self.stdout.write(_("Created the network %(name)s.") % {"name": network.name})
        days = settings.INVITATION_DAYS
        self.stdout.write(
            ngettext(
                "Invitation for its first organization (single use, expires in %(days)d day):",
                "Invitation for its first organization (single use, expires in %(days)d days):",
                days,
            )
            % {"days": days}
        )
        self.stdout.write(settings.SITE_URL + reverse("network:invitation", args=[token]))
