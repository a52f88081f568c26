"""An operator's single-use link for a member who lost their password."""

import io
from datetime import timedelta

import pyotp
import time_machine
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from internationale.core.models import AuditEvent
from internationale.core.testing import PASSWORD, InternationaleTestCase
from internationale.network import actions
from internationale.network.models import AccountReset, token_digest

NEW = "a completely new passphrase"


class AccountResetTests(InternationaleTestCase):
    def link(self, *extra: str) -> str:
        out = io.StringIO()
        call_command("resetaccount", "member a", *extra, stdout=out)
        return out.getvalue().strip().removeprefix("http://127.0.0.1:8000")

    def test_the_link_sets_a_new_password_once(self) -> None:
        link = self.link()
        response = self.client.post(link, {"password": NEW, "again": NEW})
        self.assertRedirects(response, reverse("network:login"))
        member = self.fresh(self.member)
        self.assertTrue(member.check_password(NEW))
        self.assertFalse(member.check_password(PASSWORD))
        self.assertEqual(self.client.get(link).status_code, 404)
        self.assertTrue(AuditEvent.objects.filter(verb="member.reset.use", actor=member).exists())

    def test_it_stores_only_a_digest_and_expires_in_a_day(self) -> None:
        link = self.link()
        token = link.rstrip("/").rsplit("/", 1)[1]
        self.assertTrue(AccountReset.objects.filter(token_digest=token_digest(token)).exists())
        with time_machine.travel(timezone.now() + timedelta(hours=25)):
            self.assertEqual(self.client.get(link).status_code, 404)

    def test_a_new_link_ends_the_old_one(self) -> None:
        first = self.link()
        self.link()
        self.assertEqual(self.client.get(first).status_code, 404)

    def test_mismatched_or_weak_passwords_change_nothing(self) -> None:
        link = self.link()
        response = self.client.post(link, {"password": NEW, "again": NEW + "!"})
        self.assertContains(response, "The two passwords are not the same.")
        response = self.client.post(link, {"password": "short", "again": "short"})
        self.assertTrue(response.context["form"].errors)
        self.assertTrue(self.fresh(self.member).check_password(PASSWORD))
        self.assertEqual(self.client.get(link).status_code, 200)

    def test_the_second_factor_stays_unless_the_operator_clears_it(self) -> None:
        secret = pyotp.random_base32()
        actions.enable_second_factor(self.member, secret=secret, code=pyotp.TOTP(secret).now())
        self.client.post(self.link(), {"password": NEW, "again": NEW})
        self.assertTrue(self.fresh(self.member).has_second_factor)
        self.client.post(self.link("--clear-second-factor"), {"password": NEW, "again": NEW})
        member = self.fresh(self.member)
        self.assertFalse(member.has_second_factor)
        self.assertEqual(member.recovery_codes.count(), 0)

    def test_it_unlocks_a_locked_account(self) -> None:
        self.member.locked_until = timezone.now() + timedelta(minutes=10)
        self.member.save(update_fields=["locked_until"])
        self.client.post(self.link(), {"password": NEW, "again": NEW})
        response = self.client.post(
            reverse("network:login"), {"display_name": "Member A", "password": NEW}
        )
        self.assertRedirects(response, "/")

    def test_it_revokes_the_members_api_tokens(self) -> None:
        actions.create_api_token(self.member, name="old script")
        self.client.post(self.link(), {"password": NEW, "again": NEW})
        self.assertFalse(self.fresh(self.member).api_tokens.active().exists())

    def test_an_unknown_member_is_named_in_the_error(self) -> None:
        with self.assertRaisesMessage(CommandError, "Nobody Here"):
            call_command("resetaccount", "Nobody Here")
        self.assertFalse(AccountReset.objects.exists())
