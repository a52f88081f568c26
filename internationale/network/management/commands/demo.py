import importlib
from argparse import ArgumentParser
from types import ModuleType
from typing import Any

from django.apps import apps
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
        for module in module_demos():
            if not module.demo_exists():
                module.load_demo()
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


def module_demos() -> list[ModuleType]:
    """The demos of the modules built on the network, in the order of INSTALLED_APPS.

    A module adds a `demo.py` with `demo_exists()` and `load_demo()`, which builds on the
    demo network (found by `network.demo.DEMO_NETWORK`) through the module's actions. Each is
    loaded after the network's, in its own transaction, unless it is already there: a
    database whose demo network predates a module gains that module's demo on the next run.
    The network never imports the modules that depend on it; it only finds their demos."""
    demos = []
    for config in apps.get_app_configs():
        if not config.name.startswith("internationale.") or config.name == "internationale.network":
            continue
        try:
            demos.append(importlib.import_module(f"{config.name}.demo"))
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.demo":
                raise
    return demos
