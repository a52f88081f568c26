"""No page or endpoint shows one organization's private content to anyone else."""

import subprocess

from django.http.response import HttpResponseBase
from django.test import Client, TestCase
from django.urls import NoReverseMatch, reverse

from internationale.core.leaks import candidates, plant_all, routes
from internationale.core.testing import make_world

MARKER = "zq-private-marker-7c1f"


def readable(response: HttpResponseBase) -> str:
    """What a reader gets from a response, as text: a PDF's text is extracted (its streams
    are compressed, so the marker would not show in its bytes), files are read whole."""
    if getattr(response, "streaming", False):
        body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    else:
        body = response.content  # type: ignore[attr-defined]
    if response.get("Content-Type", "").startswith("application/pdf"):
        done = subprocess.run(
            ["pdftotext", "-", "-"], input=body, capture_output=True, check=True, timeout=60
        )
        return done.stdout.decode()
    return body.decode(errors="replace")


class LeakHarnessTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.world = make_world()
        cls.planted = plant_all(cls.world, MARKER)

    def urls(self) -> list[str]:
        found, unfillable = [], []
        for route in routes():
            fillings = candidates(route, self.planted)
            if fillings is None:
                unfillable.append(f"{route.name}{route.parameters}")
                continue
            for kwargs in fillings:
                try:
                    found.append(reverse(route.name, kwargs=kwargs))
                except NoReverseMatch:
                    continue
        self.assertEqual(unfillable, [], "register content for these URL parameters")
        return found

    def readers(self) -> dict[str, tuple[Client, dict[str, str]]]:
        """Each reader: a client logged in to the pages, and the headers that carry the
        same person's API token."""
        from internationale.network import actions

        readers: dict[str, tuple[Client, dict[str, str]]] = {"anonymous": (Client(), {})}
        for persona in ("outsider", "stranger"):
            client = Client()
            client.force_login(self.world[persona])
            _token, raw = actions.create_api_token(self.world[persona], name="leak test")
            readers[persona] = (client, {"HTTP_AUTHORIZATION": f"Bearer {raw}"})
        return readers

    def test_it_covers_pages_and_api_endpoints(self) -> None:
        urls = self.urls()
        self.assertTrue(any(url.startswith("/api/v1/") for url in urls))
        self.assertTrue(any(url.startswith("/organizations/") for url in urls))
        self.assertGreater(len(urls), 25)

    def test_the_owner_sees_the_planted_content(self) -> None:
        client = Client()
        client.force_login(self.world["coordinator"])
        seen = [url for url in self.urls() if MARKER in readable(client.get(url))]
        self.assertGreaterEqual(len(seen), 3, "the harness must be able to see a leak")
        # Also inside a PDF: the relay's dossier holds Alpha's private report for Alpha.
        self.assertTrue(any(url.endswith("/dossier.pdf") for url in seen), seen)

    def test_no_other_reader_sees_private_content(self) -> None:
        leaks = []
        readers = self.readers()
        for url in self.urls():
            for name, (client, api_headers) in readers.items():
                variants = (
                    [api_headers] if url.startswith("/api/") else [{}, {"HTTP_HX_REQUEST": "true"}]
                )
                for headers in variants:
                    response = client.get(url, **headers)
                    # A page may echo its own address (a slug holding the marker).
                    body = readable(response).replace(url, "")
                    if MARKER in body:
                        leaks.append(f"{name} {url} {response.status_code}")
        self.assertEqual(leaks, [], "\n".join(leaks))
