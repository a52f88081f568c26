from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.urls import reverse

from internationale.core.commands import LocalizedCommand
from internationale.network import actions
from internationale.network.commands import member_named


class Command(LocalizedCommand):
    help = (
        "Make a single-use link, valid for a day, with which a member who lost their password "
        "sets a new one. Hand it over only once you know who asks for it."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("display_name", help="the member's display name")
        parser.add_argument(
            "--clear-second-factor",
            action="store_true",
            help="also turn off the member's second factor (they lost their phone and codes)",
        )

    def run(self, *args: Any, **options: Any) -> None:
        # Any account, a deactivated one included: its person may be the one asking.
        member = member_named(options["display_name"], active_only=False)
        _reset, token = actions.make_account_reset(
            None, member=member, clear_second_factor=options["clear_second_factor"]
        )
        self.stdout.write(settings.SITE_URL + reverse("network:account-reset", args=[token]))
