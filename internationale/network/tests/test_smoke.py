from internationale.core.testing import InternationaleTestCase


class HomeTests(InternationaleTestCase):
    def test_it_shows_the_member_their_organizations(self) -> None:
        response = self.client_for(self.member).get("/")
        self.assertContains(response, "Alpha Union")
