"""Who may open which page: every page of the network module, for every persona."""

from django.urls import reverse

from internationale.core.testing import InternationaleTestCase
from internationale.network import actions

PERSONAS = ("coordinator", "member", "outsider", "stranger", "anonymous")
LOGIN = "login"  # a redirect to the login page


class PageAccessTests(InternationaleTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.private_notice = actions.post_notice(
            cls.member,
            organization=cls.alpha,
            title="Rota",
            body="Night shift rota.",
            visibility="private",
        )
        cls.public_notice = actions.post_notice(
            cls.member,
            organization=cls.alpha,
            title="Open letter",
            body="To everyone.",
            visibility="public",
        )
        cls.network_notice = actions.post_notice(
            cls.member,
            organization=cls.alpha,
            title="To the network",
            body="Hello.",
            visibility="network",
        )
        cls.circle = actions.create_circle(
            cls.coordinator, organization=cls.alpha, name="Night shift", members=[cls.member]
        )
        _invitation, cls.token = actions.invite_person(cls.coordinator, organization=cls.alpha)
        cls.membership = cls.member.memberships.get()

    def expect(self, url: str, **statuses: int | str) -> None:
        assert set(statuses) == set(PERSONAS), "cover every persona"
        for persona, expected in statuses.items():
            client = self.client_for(None if persona == "anonymous" else getattr(self, persona))
            response = client.get(url)
            with self.subTest(url=url, persona=persona):
                if expected == LOGIN:
                    self.assertEqual(response.status_code, 302)
                    self.assertTrue(response["Location"].startswith(reverse("network:login")))
                else:
                    self.assertEqual(response.status_code, expected)

    def test_home_and_login_are_open_to_all(self) -> None:
        for url in ("/", "/login/"):
            self.expect(url, coordinator=200, member=200, outsider=200, stranger=200, anonymous=200)

    def test_account_pages_need_a_login(self) -> None:
        for name in ("account", "password", "second-factor"):
            self.expect(
                reverse(f"network:{name}"),
                coordinator=200,
                member=200,
                outsider=200,
                stranger=200,
                anonymous=LOGIN,
            )

    def test_the_network_page_is_for_its_members(self) -> None:
        self.expect(
            self.network.get_absolute_url(),
            coordinator=200,
            member=200,
            outsider=200,
            stranger=404,
            anonymous=404,
        )

    def test_the_member_directory_is_for_the_network_members(self) -> None:
        self.expect(
            reverse("network:network-members", args=[self.network.slug]),
            coordinator=200,
            member=200,
            outsider=200,
            stranger=404,
            anonymous=LOGIN,
        )

    def test_inviting_an_organization_is_for_coordinators_in_the_network(self) -> None:
        self.expect(
            reverse("network:invite-organization", args=[self.network.slug]),
            coordinator=200,
            member=403,
            outsider=403,
            stranger=404,
            anonymous=LOGIN,
        )

    def test_the_organization_page_is_for_its_networks(self) -> None:
        self.expect(
            self.alpha.get_absolute_url(),
            coordinator=200,
            member=200,
            outsider=200,
            stranger=404,
            anonymous=404,
        )

    def test_organization_work_pages_are_for_its_coordinators(self) -> None:
        for name in ("edit-organization", "invite-person", "new-circle"):
            self.expect(
                reverse(f"network:{name}", args=[self.alpha.slug]),
                coordinator=200,
                member=403,
                outsider=404 if name != "edit-organization" else 403,
                stranger=404,
                anonymous=LOGIN,
            )
        self.expect(
            reverse("network:edit-membership", args=[self.alpha.slug, self.membership.pk]),
            coordinator=200,
            member=403,
            outsider=404,
            stranger=404,
            anonymous=LOGIN,
        )

    def test_a_circle_is_for_its_organization(self) -> None:
        self.expect(
            self.circle.get_absolute_url(),
            coordinator=200,
            member=200,
            outsider=404,
            stranger=404,
            anonymous=LOGIN,
        )

    def test_notices_follow_their_visibility(self) -> None:
        self.expect(
            self.private_notice.get_absolute_url(),
            coordinator=200,
            member=200,
            outsider=404,
            stranger=404,
            anonymous=404,
        )
        self.expect(
            self.network_notice.get_absolute_url(),
            coordinator=200,
            member=200,
            outsider=200,
            stranger=404,
            anonymous=404,
        )
        self.expect(
            self.public_notice.get_absolute_url(),
            coordinator=200,
            member=200,
            outsider=200,
            stranger=200,
            anonymous=200,
        )

    def test_an_invitation_link_opens_for_whoever_holds_it(self) -> None:
        self.expect(
            reverse("network:invitation", args=[self.token]),
            coordinator=200,
            member=200,
            outsider=200,
            stranger=200,
            anonymous=200,
        )
        self.expect(
            reverse("network:invitation", args=["not-a-token"]),
            coordinator=404,
            member=404,
            outsider=404,
            stranger=404,
            anonymous=404,
        )

    def test_writes_by_outsiders_change_nothing(self) -> None:
        outsider = self.client_for(self.outsider)
        response = outsider.post(
            reverse("network:post-notice", args=[self.alpha.slug]),
            {"title": "x", "body": "y", "visibility": "public"},
        )
        self.assertEqual(response.status_code, 404)
        response = outsider.post(reverse("network:delete-notice", args=[self.public_notice.pk]))
        self.assertEqual(response.status_code, 403)
        self.assertEqual(self.alpha.notices.count(), 3)
