"""Account settings: language, time zone, password, second factor, tokens."""

import re
from datetime import UTC, datetime

import pyotp
import time_machine
from django.urls import reverse

from internationale.core.testing import PASSWORD, InternationaleTestCase
from internationale.network import actions
from internationale.network.models import Member


class LanguageAndTimeTests(InternationaleTestCase):
    def test_the_chosen_language_is_remembered_on_the_account(self) -> None:
        client = self.client_for(self.member)
        response = client.post(reverse("network:language"), {"language": "ar", "next": "/"})
        self.assertRedirects(response, "/")
        self.assertEqual(self.fresh(self.member).language, "ar")
        client.cookies.clear()
        client.force_login(self.fresh(self.member))
        page = client.get("/").content.decode()
        self.assertIn('<html lang="ar" dir="rtl">', page)

    def test_a_visitor_keeps_the_language_in_a_cookie(self) -> None:
        self.client.post(reverse("network:language"), {"language": "tr", "next": "/login/"})
        self.assertIn('<html lang="tr" dir="ltr">', self.client.get("/login/").content.decode())

    def test_an_unknown_language_changes_nothing(self) -> None:
        client = self.client_for(self.member)
        client.post(reverse("network:language"), {"language": "xx"})
        self.assertEqual(self.fresh(self.member).language, "en")

    def test_every_interface_language_is_offered_in_its_own_name(self) -> None:
        page = self.client.get("/").content.decode()
        for name in ("English", "Português", "Español", "Français", "Türkçe", "العربية"):
            self.assertIn(name, page)

    @time_machine.travel(datetime(2026, 11, 22, 15, 30, tzinfo=UTC), tick=False)
    def test_times_are_shown_in_the_readers_zone_and_named(self) -> None:
        notice = actions.post_notice(self.member, organization=self.alpha, title="When", body="b")
        actions.update_account(
            self.member,
            display_name="Member A",
            language="en",
            languages=[],
            time_zone="Asia/Dhaka",
        )
        page = self.client_for(self.fresh(self.member)).get(notice.get_absolute_url())
        self.assertContains(page, "21:30")  # 15:30 UTC is 21:30 in Dhaka
        self.assertContains(page, "Bangladesh")
        self.assertContains(page, 'datetime="2026-11-22T15:30:00+00:00"')

    @time_machine.travel(datetime(2026, 11, 22, 15, 30, tzinfo=UTC), tick=False)
    def test_the_network_page_shows_each_organizations_local_time(self) -> None:
        page = self.client_for(self.member).get(self.network.get_absolute_url()).content.decode()
        self.assertIn("09:30", page)  # Chicago
        self.assertIn("12:30", page)  # São Paulo
        self.assertIn("United States", page)
        self.assertIn("Brazil", page)


class AccountSettingsTests(InternationaleTestCase):
    def test_a_member_changes_name_languages_and_zone(self) -> None:
        response = self.client_for(self.member).post(
            reverse("network:account"),
            {
                "display_name": "Ana",
                "language": "pt",
                "languages": ["pt", "yo"],
                "time_zone": "Africa/Lagos",
            },
        )
        self.assertRedirects(response, reverse("network:account"))
        member = self.fresh(self.member)
        self.assertEqual(
            (member.display_name, member.language, member.languages, member.time_zone),
            ("Ana", "pt", ["pt", "yo"], "Africa/Lagos"),
        )

    def test_a_taken_name_is_refused(self) -> None:
        response = self.client_for(self.member).post(
            reverse("network:account"),
            {"display_name": "OUTSIDER b", "language": "en", "time_zone": "UTC"},
        )
        self.assertContains(response, "This display name is taken")
        self.assertEqual(self.fresh(self.member).display_name, "Member A")

    def test_the_password_changes_only_with_the_current_one(self) -> None:
        client = self.client_for(self.member)
        response = client.post(
            reverse("network:password"), {"current": "wrong", "new": "a brand new passphrase"}
        )
        self.assertContains(response, "Your current password is not right.")
        client.post(
            reverse("network:password"), {"current": PASSWORD, "new": "a brand new passphrase"}
        )
        self.assertTrue(self.fresh(self.member).check_password("a brand new passphrase"))

    def test_the_second_factor_is_set_up_with_an_inline_qr_code(self) -> None:
        client = self.client_for(self.member)
        page = client.get(reverse("network:second-factor")).content.decode()
        self.assertIn("<svg", page)
        self.assertNotIn("<img", page)
        found = re.search(r'<p class="secret">([A-Z2-7]+)</p>', page)
        assert found is not None
        secret = found.group(1)
        wrong = str((int(pyotp.TOTP(secret).now()) + 1) % 1_000_000).zfill(6)
        response = client.post(reverse("network:second-factor"), {"code": wrong})
        self.assertContains(response, "That code is not right.")
        self.assertContains(response, secret)  # the same secret, for the next try
        # A secret sent by the browser is not trusted.
        mine = pyotp.random_base32()
        response = client.post(
            reverse("network:second-factor"), {"secret": mine, "code": pyotp.TOTP(mine).now()}
        )
        self.assertFalse(self.fresh(self.member).has_second_factor)
        response = client.post(reverse("network:second-factor"), {"code": pyotp.TOTP(secret).now()})
        self.assertEqual(len(response.context["codes"]), 10)
        member = self.fresh(self.member)
        self.assertEqual((member.has_second_factor, member.totp_secret), (True, secret))
        self.assertEqual(member.recovery_codes.count(), 10)

    def test_turning_the_second_factor_off_needs_the_password(self) -> None:
        secret = pyotp.random_base32()
        actions.enable_second_factor(self.member, secret=secret, code=pyotp.TOTP(secret).now())
        client = self.client_for(self.fresh(self.member))
        client.post(reverse("network:second-factor"), {"password": "wrong"})
        self.assertTrue(self.fresh(self.member).has_second_factor)
        client.post(reverse("network:second-factor"), {"password": PASSWORD})
        self.assertFalse(self.fresh(self.member).has_second_factor)
        self.assertEqual(self.fresh(self.member).recovery_codes.count(), 0)

    def test_a_token_is_shown_once(self) -> None:
        client = self.client_for(self.member)
        response = client.post(reverse("network:tokens"), {"name": "phone script"})
        raw = response.context["raw"]
        self.assertTrue(raw.startswith("intl_"))
        self.assertNotContains(client.get(reverse("network:tokens")), raw)
        self.assertContains(client.get(reverse("network:tokens")), "phone script")

    def test_no_legal_name_is_stored_and_an_email_address_is_never_required(self) -> None:
        fields = {f.name for f in Member._meta.get_fields()}
        self.assertFalse(fields & {"first_name", "last_name"})
        self.assertTrue(Member._meta.get_field("email").blank)
        self.assertEqual(self.fresh(self.member).email, "")

    def test_an_email_address_can_be_given_and_removed_from_the_account_page(self) -> None:
        client = self.client_for(self.member)
        fields = {
            "display_name": self.member.display_name,
            "language": "en",
            "time_zone": "UTC",
            "email": "member@example.org",
        }
        client.post(reverse("network:account"), fields)
        self.assertEqual(self.fresh(self.member).email, "member@example.org")
        client.post(reverse("network:account"), {**fields, "email": ""})
        self.assertEqual(self.fresh(self.member).email, "")
