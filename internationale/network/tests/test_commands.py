"""The `internationale` command line."""

import io
import os
import subprocess
import sys
from pathlib import Path

from django.core.management import CommandError, call_command
from django.test import TestCase, override_settings

from internationale.core.testing import InternationaleTestCase, production_environment
from internationale.network.models import Invitation, Network, Organization, token_digest

ROOT = Path(__file__).resolve().parents[3]


class CreateNetworkTests(TestCase):
    @override_settings(SITE_URL="https://solidarity.example")
    def test_it_creates_a_network_and_an_invitation_for_its_first_organization(self) -> None:
        out = io.StringIO()
        call_command("createnetwork", "Garment Chain", "--public", stdout=out)
        network = Network.objects.get(name="Garment Chain")
        self.assertEqual(network.visibility, "public")
        link = out.getvalue().strip().splitlines()[-1]
        self.assertTrue(link.startswith("https://solidarity.example/join/"))
        token = link.rstrip("/").rsplit("/", 1)[1]
        invitation = Invitation.objects.get(token_digest=token_digest(token))
        self.assertEqual((invitation.kind, invitation.network), ("organization", network))

    def test_a_blank_name_gets_a_translated_message_and_writes_nothing(self) -> None:
        os.environ["INTERNATIONALE_CLI_LANGUAGE"] = "fr"
        try:
            with self.assertRaises(CommandError) as caught:
                call_command("createnetwork", "  ")
        finally:
            del os.environ["INTERNATIONALE_CLI_LANGUAGE"]
        self.assertIn("Ce champ est obligatoire", str(caught.exception))
        self.assertFalse(Network.objects.exists())


class InviteTests(InternationaleTestCase):
    def test_it_invites_a_person_with_a_role_and_capabilities(self) -> None:
        out = io.StringIO()
        call_command(
            "invite",
            "--organization",
            self.alpha.slug,
            "--role",
            "coordinator",
            "--capability",
            "steward",
            stdout=out,
        )
        token = out.getvalue().strip().rstrip("/").rsplit("/", 1)[1]
        invitation = Invitation.objects.get(token_digest=token_digest(token))
        self.assertEqual(
            (invitation.organization, invitation.role, invitation.capabilities),
            (self.alpha, "coordinator", ["steward"]),
        )

    def test_an_unknown_organization_is_named_in_the_error(self) -> None:
        before = Invitation.objects.count()
        with self.assertRaisesMessage(CommandError, "no-such-org"):
            call_command("invite", "--organization", "no-such-org")
        self.assertEqual(Invitation.objects.count(), before)


class DemoTests(TestCase):
    def test_it_loads_the_fictional_network_once(self) -> None:
        out = io.StringIO()
        call_command("demo", stdout=out)
        call_command("demo", stdout=io.StringIO())
        network = Network.objects.get(name="Logistics Workers Relay")
        places = set(network.organizations.values_list("country", "time_zone"))
        self.assertEqual(
            places,
            {
                ("US", "America/Chicago"),
                ("TR", "Europe/Istanbul"),
                ("NG", "Africa/Lagos"),
                ("BR", "America/Sao_Paulo"),
                ("BD", "Asia/Dhaka"),
            },
        )
        self.assertEqual(Organization.objects.get(country="TR").languages, ["tr", "ar"])
        self.assertIn("Marisol", out.getvalue())
        self.assertIn("solidarity-demo-2026", out.getvalue())

    def test_it_is_not_added_to_a_real_site(self) -> None:
        call_command("createnetwork", "A real network", stdout=io.StringIO())
        with self.assertRaisesMessage(CommandError, "published password"):
            call_command("demo", stdout=io.StringIO())
        self.assertFalse(Network.objects.filter(name="Logistics Workers Relay").exists())


def test_check_with_production_settings_reports_no_warning(tmp_path: Path) -> None:
    env = production_environment(
        INTERNATIONALE_SECRET_KEY="k" * 60 + "production-like-secret-value",
        INTERNATIONALE_DATA_DIR=str(tmp_path),
        INTERNATIONALE_ALLOWED_HOSTS="solidarity.example",
    )
    result = subprocess.run(
        [sys.executable, "-m", "internationale.cli", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


def test_a_missing_secret_key_stops_production_start(tmp_path: Path) -> None:
    env = production_environment(INTERNATIONALE_DATA_DIR=str(tmp_path))
    result = subprocess.run(
        [sys.executable, "-m", "internationale.cli", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "INTERNATIONALE_SECRET_KEY" in result.stderr
