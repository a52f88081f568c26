"""List pages make the same number of queries however long their lists are."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from internationale.core.testing import PASSWORD, InternationaleTestCase
from internationale.network import actions


class QueryCountTests(InternationaleTestCase):
    def grow(self, count: int) -> None:
        for n in range(count):
            _invitation, token = actions.invite_person(
                None, organization=self.beta, capabilities=["translator"]
            )
            member = actions.accept_person_invitation(
                None, token=token, display_name=f"Extra {n}-{count}", password=PASSWORD
            )
            actions.post_notice(
                member, organization=self.beta, title=f"Notice {n}", body="b", visibility="network"
            )
            _invitation, token = actions.invite_organization(None, network=self.network)
            actions.accept_organization_invitation(
                None,
                token=token,
                display_name=f"Coord {n}-{count}",
                password=PASSWORD,
                name=f"Org {n}-{count}",
                country="FR",
                languages=["fr"],
                time_zone="Europe/Paris",
                description="",
                visibility="network",
            )

    def queries(self, url: str) -> int:
        client = self.client_for(self.coordinator)
        client.get(url)  # warm the session and caches
        with CaptureQueriesContext(connection) as captured:
            self.assertEqual(client.get(url).status_code, 200)
        return len(captured)

    def test_list_pages_do_not_query_per_row(self) -> None:
        urls = [
            "/",
            self.network.get_absolute_url(),
            f"/networks/{self.network.slug}/members/",
            self.beta.get_absolute_url(),
            self.alpha.get_absolute_url(),
        ]
        self.grow(2)
        before = {url: self.queries(url) for url in urls}
        self.grow(6)
        after = {url: self.queries(url) for url in urls}
        self.assertEqual(before, after)
