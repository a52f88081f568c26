from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils.translation import gettext as _

from internationale.core.commands import LocalizedCommand
from internationale.network.demo import DEMO_PASSWORD, demo_exists, load_demo
from internationale.network.models import Network


class Command(LocalizedCommand):
    help = "Set up the database and a fictional demo network, then print the demo accounts."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--into-existing-site",
            action="store_true",
            help="load the demo even though the database holds real networks",
        )

    def run(self, *args: Any, **options: Any) -> None:
        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        if not (settings.DEBUG or settings.TESTING):
            call_command("collectstatic", interactive=False, verbosity=0)
        if demo_exists():
            self.stdout.write(_("The demo network is already there."))
            accounts = None
        elif Network.objects.exists() and not options["into_existing_site"]:
            # Demo accounts share a published password: never add them to a real site
            # by mistake.
            raise ValidationError(
                _(
                    "This database already holds networks: the demo, whose accounts share a "
                    "published password, is not added to it."
                )
            )
        else:
            accounts = load_demo()
        self.stdout.write("")
        self.stdout.write(
            _("Open %(url)s and log in with one of these display names.")
            % {"url": settings.SITE_URL}
        )
        self.stdout.write(
            _("The password of every demo account is: %(password)s") % {"password": DEMO_PASSWORD}
        )
        if accounts:
            for name, role, organization in accounts:
                self.stdout.write(f"  {name:<10} {role:<28} {organization}")
        else:
            self.stdout.write(
                "  Marisol, Dee, Jamal, Leyla, Omar, Tunde, Ada, Bia, Caio, Shirin, Rafiq"
            )
