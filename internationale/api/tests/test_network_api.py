"""The network API: tokens, the access matrix of every endpoint, and one error shape."""

import json
from typing import Any

from django.test import Client

from internationale.core.testing import InternationaleTestCase
from internationale.network import actions
from internationale.network.models import ApiToken, Invitation


class ApiTestCase(InternationaleTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.tokens = {
            persona: actions.create_api_token(getattr(cls, persona), name="tests")[1]
            for persona in ("coordinator", "member", "outsider", "stranger")
        }
        cls.private_notice = actions.post_notice(
            cls.member, organization=cls.alpha, title="Rota", body="Night shift rota."
        )

    def call(self, persona: str, method: str, path: str, body: Any = None) -> Any:
        headers = {}
        if persona != "anonymous":
            headers["HTTP_AUTHORIZATION"] = f"Bearer {self.tokens[persona]}"
        kwargs: dict[str, Any] = {"content_type": "application/json"}
        if body is not None:
            kwargs["data"] = json.dumps(body)
        return getattr(Client(), method)(f"/api/v1{path}", **kwargs, **headers)

    def statuses(self, method: str, path: str, body: Any = None) -> dict[str, int]:
        return {
            persona: self.call(persona, method, path, body).status_code
            for persona in ("coordinator", "member", "outsider", "stranger", "anonymous")
        }


class ApiAccessTests(ApiTestCase):
    def test_me_needs_a_token(self) -> None:
        self.assertEqual(
            self.statuses("get", "/me"),
            {"coordinator": 200, "member": 200, "outsider": 200, "stranger": 200, "anonymous": 401},
        )

    def test_networks_are_listed_as_their_members_may_see_them(self) -> None:
        slugs = {
            persona: {n["slug"] for n in self.call(persona, "get", "/networks").json()}
            for persona in ("member", "outsider", "stranger", "anonymous")
        }
        self.assertEqual(
            slugs,
            {
                "member": {"test-network"},
                "outsider": {"test-network"},
                "stranger": {"other-network"},
                "anonymous": set(),
            },
        )
        self.assertEqual(
            self.statuses("get", f"/networks/{self.network.slug}"),
            {"coordinator": 200, "member": 200, "outsider": 200, "stranger": 404, "anonymous": 404},
        )

    def test_the_member_directory_is_for_network_members(self) -> None:
        self.assertEqual(
            self.statuses("get", f"/networks/{self.network.slug}/members"),
            {"coordinator": 200, "member": 200, "outsider": 200, "stranger": 404, "anonymous": 401},
        )
        names = {
            m["member"]["display_name"]
            for m in self.call("outsider", "get", f"/networks/{self.network.slug}/members").json()
        }
        self.assertIn("Member A", names)
        self.assertNotIn("Stranger C", names)

    def test_organizations_and_their_members(self) -> None:
        self.assertEqual(
            self.statuses("get", f"/organizations/{self.alpha.slug}"),
            {"coordinator": 200, "member": 200, "outsider": 200, "stranger": 404, "anonymous": 404},
        )
        self.assertEqual(
            self.statuses("get", f"/organizations/{self.alpha.slug}/members"),
            {"coordinator": 200, "member": 200, "outsider": 200, "stranger": 404, "anonymous": 401},
        )

    def test_notices_follow_their_visibility(self) -> None:
        seen = {
            persona: [
                n["title"]
                for n in self.call(
                    persona, "get", f"/organizations/{self.alpha.slug}/notices"
                ).json()
            ]
            for persona in ("member", "outsider")
        }
        self.assertEqual(seen, {"member": ["Rota"], "outsider": []})

    def test_only_coordinators_make_invitations(self) -> None:
        path = f"/organizations/{self.alpha.slug}/invitations"
        statuses = self.statuses("post", path, {"role": "member"})
        self.assertEqual(
            statuses,
            {"coordinator": 201, "member": 403, "outsider": 404, "stranger": 404, "anonymous": 401},
        )
        self.assertEqual(
            self.statuses("post", f"/networks/{self.network.slug}/invitations", {}),
            {"coordinator": 201, "member": 403, "outsider": 403, "stranger": 404, "anonymous": 401},
        )


class ApiBehaviourTests(ApiTestCase):
    def test_an_invitation_link_from_the_api_works(self) -> None:
        response = self.call(
            "coordinator",
            "post",
            f"/organizations/{self.alpha.slug}/invitations",
            {"role": "member", "capabilities": ["translator"]},
        )
        link = response.json()["link"]
        self.assertTrue(link.startswith("http://testserver/join/"))
        self.assertEqual(Client().get(link.removeprefix("http://testserver")).status_code, 200)

    def test_a_member_updates_their_account(self) -> None:
        response = self.call(
            "member", "patch", "/me", {"time_zone": "Asia/Dhaka", "language": "tr"}
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            (response.json()["time_zone"], response.json()["language"]), ("Asia/Dhaka", "tr")
        )

    def test_bad_input_gets_one_error_shape_in_the_members_language(self) -> None:
        actions.set_language(self.member, language="es")
        response = self.call("member", "patch", "/me", {"time_zone": "Mars/Olympus"})
        self.assertEqual(response.status_code, 400)
        error = response.json()["error"]
        self.assertEqual(error["code"], "invalid")
        self.assertEqual(list(error["fields"]), ["time_zone"])
        self.assertNotEqual(error["message"], "Choose a time zone from the list.")
        self.assertEqual(self.fresh(self.member).time_zone, "UTC")

    def test_malformed_json_fields_get_the_same_shape(self) -> None:
        response = self.call(
            "coordinator", "post", f"/organizations/{self.alpha.slug}/notices", {"title": 5}
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(set(response.json()["error"]["fields"]), {"title", "body"})

    def test_not_found_and_unauthorized_share_the_shape(self) -> None:
        for persona, path, code in (
            ("member", "/organizations/nope", "not_found"),
            ("anonymous", "/me", "unauthorized"),
        ):
            body = self.call(persona, "get", path).json()
            self.assertEqual(body["error"]["code"], code)
            self.assertTrue(body["error"]["message"])

    def test_a_wrong_token_is_refused_not_treated_as_anonymous(self) -> None:
        response = Client().get("/api/v1/networks", HTTP_AUTHORIZATION="Bearer intl_wrong")
        self.assertEqual(response.status_code, 401)

    def test_a_revoked_token_stops_working_and_only_a_digest_is_stored(self) -> None:
        raw = self.tokens["member"]
        token = ApiToken.objects.get(member=self.member)
        self.assertNotIn(raw, str(ApiToken.objects.values_list()))
        actions.revoke_api_token(self.member, token)
        self.assertEqual(self.call("member", "get", "/me").status_code, 401)

    def test_a_token_is_revoked_from_the_account_page(self) -> None:
        token = ApiToken.objects.get(member=self.member)
        client = self.client_for(self.member)
        response = client.post(f"/account/tokens/{token.pk}/revoke/", HTTP_HX_REQUEST="true")
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, "<html")
        self.assertEqual(self.call("member", "get", "/me").status_code, 401)
        other = ApiToken.objects.get(member=self.outsider)
        self.assertEqual(client.post(f"/account/tokens/{other.pk}/revoke/").status_code, 404)

    def test_posting_a_notice(self) -> None:
        response = self.call(
            "member",
            "post",
            f"/organizations/{self.alpha.slug}/notices",
            {
                "title": "Hi",
                "body": "To the network",
                "visibility": "network",
                "shared_with": [self.network.slug],
            },
        )
        self.assertEqual(response.status_code, 201)
        titles = [
            n["title"]
            for n in self.call(
                "outsider", "get", f"/organizations/{self.alpha.slug}/notices"
            ).json()
        ]
        self.assertEqual(titles, ["Hi"])
        response = self.call(
            "member",
            "post",
            f"/organizations/{self.alpha.slug}/notices",
            {"title": "x", "body": "y", "shared_with": ["other-network"]},
        )
        self.assertEqual(response.status_code, 400)

    def test_the_openapi_schema_is_served(self) -> None:
        schema = Client().get("/api/v1/openapi.json").json()
        self.assertIn("/api/v1/networks/{network}/members", schema["paths"])
        self.assertIn("/api/v1/me", schema["paths"])

    def test_making_an_invitation_writes_nothing_when_refused(self) -> None:
        before = Invitation.objects.count()
        self.call(
            "member",
            "post",
            f"/organizations/{self.alpha.slug}/invitations",
            {"role": "coordinator"},
        )
        self.call(
            "coordinator", "post", f"/organizations/{self.alpha.slug}/invitations", {"role": "boss"}
        )
        self.assertEqual(Invitation.objects.count(), before)


class ApiEdgeTests(ApiTestCase):
    def test_a_public_organization_does_not_show_its_members_to_everyone(self) -> None:
        actions.update_organization(
            self.coordinator_c(),
            self.gamma,
            name="Gamma Front",
            country="BD",
            languages=["bn"],
            time_zone="Asia/Dhaka",
            description="",
            visibility="public",
        )
        self.assertEqual(
            self.call("member", "get", f"/organizations/{self.gamma.slug}").status_code, 200
        )
        self.assertEqual(
            self.call("member", "get", f"/organizations/{self.gamma.slug}/members").status_code, 404
        )
        self.assertEqual(
            self.call("stranger", "get", f"/organizations/{self.gamma.slug}/members").status_code,
            200,
        )

    def coordinator_c(self) -> Any:
        return self.gamma.memberships.get(role="coordinator").member

    def test_a_display_name_longer_than_allowed_is_refused(self) -> None:
        response = self.call("member", "patch", "/me", {"display_name": "x" * 61})
        self.assertEqual(response.status_code, 400)
        self.assertIn("display_name", response.json()["error"]["fields"])
