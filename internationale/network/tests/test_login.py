"""Logging in: display name and password, a second factor, and throttling per account."""

from datetime import UTC, datetime, timedelta

import pyotp
import time_machine
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from internationale.core.testing import PASSWORD, InternationaleTestCase
from internationale.network import actions
from internationale.network.models import Member


class LoginTests(InternationaleTestCase):
    def login(self, name: str, password: str) -> object:
        return self.client.post(
            reverse("network:login"), {"display_name": name, "password": password}
        )

    def test_it_logs_in_by_display_name_ignoring_case(self) -> None:
        response = self.login("member a", PASSWORD)
        self.assertRedirects(response, "/")
        self.assertEqual(self.client.get("/").context["user"], self.member)

    def test_a_wrong_password_is_refused_with_a_message(self) -> None:
        response = self.login("Member A", "wrong")
        self.assertContains(response, "The display name or the password is not right.")
        self.assertFalse(response.context["user"].is_authenticated)

    @override_settings(LOGIN_MAX_FAILURES=3, LOGIN_LOCK_MINUTES=15)
    def test_repeated_failures_lock_the_account_for_a_while_not_forever(self) -> None:
        for _attempt in range(3):
            self.login("Member A", "wrong")
        response = self.login("Member A", PASSWORD)
        self.assertFalse(response.context["user"].is_authenticated)
        # the refusal does not tell a locked account from a wrong password or no account
        refusal = response.context["form"].non_field_errors()
        self.assertEqual(
            refusal, self.login("Nobody At All", "x").context["form"].non_field_errors()
        )
        self.assertEqual(
            refusal, self.login("Steward A", "wrong").context["form"].non_field_errors()
        )
        # another account behind the same address is not affected
        self.assertRedirects(self.login("Translator A", PASSWORD), "/")
        self.client.logout()
        with time_machine.travel(timezone.now() + timedelta(minutes=16)):
            self.assertRedirects(self.login("Member A", PASSWORD), "/")

    @override_settings(LOGIN_MAX_FAILURES=3)
    def test_attempts_are_counted_before_the_password_is_checked(self) -> None:
        from internationale.network import auth

        member = self.fresh(self.member)
        self.assertEqual(
            [auth.reserve_attempt(member) for _ in range(4)], [True, True, True, False]
        )

    @override_settings(LOGIN_MAX_FAILURES=3, LOGIN_LOCK_MINUTES=15)
    def test_attempts_that_never_finished_lock_for_a_while_only(self) -> None:
        from internationale.network import auth

        member = self.fresh(self.member)
        for _attempt in range(3):
            auth.reserve_attempt(member)  # counted, never followed by an outcome
        self.assertFalse(auth.reserve_attempt(member))
        self.assertIsNotNone(self.fresh(self.member).locked_until)
        with time_machine.travel(timezone.now() + timedelta(minutes=16)):
            self.assertRedirects(self.login("Member A", PASSWORD), "/")

    def test_no_address_is_kept_for_failed_logins(self) -> None:
        self.login("Member A", "wrong")
        member = self.fresh(self.member)
        self.assertEqual(member.failed_logins, 1)
        self.assertNotIn("127.0.0.1", str(member.__dict__))

    @time_machine.travel(datetime(2026, 11, 22, 12, 0, 5, tzinfo=UTC), tick=False)
    def test_a_second_factor_is_asked_when_it_is_on(self) -> None:
        secret = pyotp.random_base32()
        totp = pyotp.TOTP(secret)
        actions.enable_second_factor(
            self.member, secret=secret, code=totp.at(datetime(2026, 11, 22, 11, 59, 30, tzinfo=UTC))
        )
        response = self.login("Member A", PASSWORD)
        self.assertRedirects(
            response,
            reverse("network:login-second-factor") + "?next=/",
            fetch_redirect_response=False,
        )
        self.assertFalse(self.client.get("/").context["user"].is_authenticated)
        response = self.client.post(reverse("network:login-second-factor"), {"code": "000000"})
        self.assertContains(response, "That code is not right.")
        response = self.client.post(reverse("network:login-second-factor"), {"code": totp.now()})
        self.assertRedirects(response, "/")
        self.assertEqual(self.client.get("/").context["user"], self.member)

    def test_a_recovery_code_works_once(self) -> None:
        secret = pyotp.random_base32()
        codes = actions.enable_second_factor(
            self.member, secret=secret, code=pyotp.TOTP(secret).now()
        )
        self.assertEqual(len(codes), 10)
        self.login("Member A", PASSWORD)
        response = self.client.post(reverse("network:login-second-factor"), {"code": codes[0]})
        self.assertRedirects(response, "/")
        self.client.logout()
        self.login("Member A", PASSWORD)
        response = self.client.post(reverse("network:login-second-factor"), {"code": codes[0]})
        self.assertContains(response, "That code is not right.")

    def test_it_does_not_redirect_to_another_site(self) -> None:
        response = self.client.post(
            reverse("network:login"),
            {"display_name": "Member A", "password": PASSWORD, "next": "https://evil.example/"},
        )
        self.assertRedirects(response, "/")

    def test_the_session_ends_after_idle_time(self) -> None:
        self.login("Member A", PASSWORD)
        with time_machine.travel(timezone.now() + timedelta(minutes=121)):
            response = self.client.get(reverse("network:account"))
        self.assertEqual(response.status_code, 302)


class SecondFactorReplayTests(InternationaleTestCase):
    def test_a_code_works_only_once(self) -> None:
        secret = pyotp.random_base32()
        with time_machine.travel(timezone.now(), tick=False) as traveller:
            actions.enable_second_factor(self.member, secret=secret, code=pyotp.TOTP(secret).now())
            traveller.shift(timedelta(seconds=31))
            code = pyotp.TOTP(secret).now()
            self.client.post(
                reverse("network:login"), {"display_name": "Member A", "password": PASSWORD}
            )
            response = self.client.post(reverse("network:login-second-factor"), {"code": code})
            self.assertRedirects(response, "/", fetch_redirect_response=False)
            replay = Client()
            replay.post(
                reverse("network:login"), {"display_name": "Member A", "password": PASSWORD}
            )
            response = replay.post(reverse("network:login-second-factor"), {"code": code})
            self.assertContains(response, "That code is not right.")

    def test_the_admin_login_goes_through_the_site_login(self) -> None:
        response = self.client.get("/admin/login/")
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith(reverse("network:login")))
        staff = Member.objects.create_superuser("Operator", PASSWORD)
        signed_in = self.client_for(self.member)
        self.assertEqual(signed_in.get("/admin/login/").status_code, 403)
        response = signed_in.post("/admin/login/", {"username": "Operator", "password": PASSWORD})
        self.assertEqual(response.status_code, 403)
        self.assertEqual(signed_in.get("/admin/").status_code, 302)
        self.assertEqual(self.client_for(staff).get("/admin/").status_code, 200)
