"""Bad input anywhere gets a clear message and writes nothing; names cannot impersonate."""

import io
import json

from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import Client

from internationale.core.testing import PASSWORD, InternationaleTestCase
from internationale.network import actions
from internationale.network.models import Circle, Member, Network, Notice


class DisplayNameTests(InternationaleTestCase):
    def join(self, name: str) -> Member:
        _invitation, token = actions.invite_person(None, organization=self.alpha)
        return actions.accept_person_invitation(
            None, token=token, display_name=name, password=PASSWORD
        )

    def test_names_that_look_the_same_are_the_same_name(self) -> None:
        self.join("José")
        for lookalike in ("Jose\u0301", "JOSÉ", "josé", " José  "):
            with (
                self.subTest(lookalike=lookalike),
                self.assertRaisesMessage(ValidationError, "This display name is taken"),
            ):
                self.join(lookalike)

    def test_case_is_folded_beyond_ascii(self) -> None:
        self.join("Émile")
        with self.assertRaisesMessage(ValidationError, "taken"):
            self.join("émile")

    def test_invisible_characters_are_refused(self) -> None:
        for name in ("Coordinator\u200b A", "Ali\u202eevil", "Tab\x00"):
            with (
                self.subTest(name=repr(name)),
                self.assertRaisesMessage(ValidationError, "invisible or control characters"),
            ):
                self.join(name)
        self.assertFalse(
            Member.objects.filter(display_name__startswith="Coordinator\u200b").exists()
        )

    def test_login_finds_a_name_in_any_form(self) -> None:
        self.join("José")
        response = self.client.post("/login/", {"display_name": "JOSE\u0301", "password": PASSWORD})
        self.assertRedirects(response, "/")


class LengthAndCharacterTests(InternationaleTestCase):
    def post_notice(self, **fields: object) -> object:
        client = Client()
        _token, raw = actions.create_api_token(self.member, name="t")
        return client.post(
            f"/api/v1/organizations/{self.alpha.slug}/notices",
            data=json.dumps({"body": "b", **fields}),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {raw}",
        )

    def test_a_too_long_title_is_refused_before_the_database_sees_it(self) -> None:
        response = self.post_notice(title="x" * 201)
        self.assertEqual(response.status_code, 400)
        self.assertIn("at most 200", response.json()["error"]["fields"]["title"][0])
        self.assertFalse(Notice.objects.exists())

    def test_a_nul_character_is_refused(self) -> None:
        response = self.post_notice(title="a\x00b")
        self.assertEqual(response.status_code, 400)
        response = self.post_notice(title="fine", body="line one\nline two\ttabbed")
        self.assertEqual(response.status_code, 201)

    def test_a_circle_name_is_unique_ignoring_case(self) -> None:
        actions.create_circle(self.coordinator, organization=self.alpha, name="Port")
        with self.assertRaisesMessage(ValidationError, "already has a circle"):
            actions.create_circle(self.coordinator, organization=self.alpha, name="PORT")
        self.assertEqual(Circle.objects.filter(organization=self.alpha).count(), 1)

    def test_the_command_line_refuses_a_too_long_network_name(self) -> None:
        with self.assertRaisesMessage(CommandError, "at most 120"):
            call_command("createnetwork", "n" * 121, stdout=io.StringIO())
        self.assertFalse(Network.objects.filter(name__startswith="nnnn").exists())

    def test_a_private_organizations_notices_stay_inside_it(self) -> None:
        actions.update_organization(
            self.coordinator,
            self.alpha,
            name="Alpha Union",
            country="US",
            languages=["en"],
            time_zone="America/Chicago",
            description="",
            visibility="private",
        )
        notice = actions.post_notice(
            self.member, organization=self.alpha, title="Open", body="b", visibility="public"
        )
        self.assertEqual(self.client.get(notice.get_absolute_url()).status_code, 404)
        self.assertEqual(
            self.client_for(self.outsider).get(notice.get_absolute_url()).status_code, 404
        )
        self.assertEqual(
            self.client_for(self.member).get(notice.get_absolute_url()).status_code, 200
        )
