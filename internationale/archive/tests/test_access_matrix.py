"""Who reads what of the archive, in every place it shows: search, the cross-reference,
the network map, the FollowTheMoney export, an entity's mentions and the pages.

Alpha keeps a private testimony, wage record and link about Halvorsen Textiles and Grenholm
Shipping; it shares a testimony about Corvane with the network, with a name redacted.
Beta shares a testimony that repeats a sentence of Alpha's."""

import json
from typing import Any

from django.http import Http404
from django.urls import reverse

from internationale.archive import access, actions, ftm, search, xref
from internationale.archive.tests.world import ArchiveTestCase

SECRET_NAME = "Dragan Petrović"
SHARED_TEXT = (
    "Corvane Logistics GmbH sent the foreman [[Dragan Petrović]] to the depot at night.\n\n"
    "The foreman [[Dragan Petrović]] said the company is like a family to all of us."
)
PRIVATE_TEXT = "Halvorsen Textiles AS locked the fire exit. [[Tove Lindqvist]] saw it happen."


class AccessMatrixTestCase(ArchiveTestCase):
    halvorsen: Any
    grenholm: Any
    private_testimony: Any
    private_wage: Any
    private_link: Any
    shared_testimony: Any
    beta_testimony: Any

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()

        def entity(name: str, country: str, key: str) -> Any:
            return actions.save_entity(
                cls.member,
                network=cls.network,
                fields=actions.EntityFields(name=name, countries=[country], key=key),
            )

        def testimony(actor: Any, organization: Any, title: str, text: str, visibility: str) -> Any:
            return actions.record_testimony(
                actor,
                network=cls.network,
                organization=organization,
                testimony=actions.TestimonyFields(
                    title=title,
                    speaker="Lantern",
                    language="en",
                    text=text,
                    consent=visibility if visibility == "network" else "organization",
                    visibility=visibility,
                ),
            )

        cls.halvorsen = entity("Halvorsen Textiles AS", "NO", "halvorsen")
        cls.grenholm = entity("Grenholm Shipping AB", "SE", "grenholm")
        cls.private_testimony = testimony(
            cls.member, cls.alpha, "Locked exits at the mill", PRIVATE_TEXT, "private"
        )
        cls.private_wage = actions.record_wage(
            cls.member,
            network=cls.network,
            organization=cls.alpha,
            wage=actions.Wage(
                employer=cls.halvorsen,
                country="NO",
                job="seamstress",
                pay="180",
                currency="NOK",
                period="hour",
                hours="1",
                observed_on=cls.private_testimony.created_at.date(),
                source="payslip kept by the night crew",
            ),
        )
        cls.private_link = actions.record_link(
            cls.member,
            network=cls.network,
            organization=cls.alpha,
            link=actions.LinkFields(
                kind="ships_for",
                source=cls.grenholm,
                target=cls.halvorsen,
                evidence="Bill of lading HX-4471",
                key="grenholm-ships",
            ),
        )
        cls.shared_testimony = testimony(
            cls.member, cls.alpha, "The foreman's visits", SHARED_TEXT, "network"
        )
        cls.beta_testimony = testimony(
            cls.outsider,
            cls.beta,
            "What the supervisor says",
            "The foreman said the company is like a family to all of us.",
            "network",
        )

    def hits(self, reader: Any, query: str) -> set[tuple[str, int]]:
        return {
            (hit.entry.kind, hit.entry.object_id)
            for hit in search.search(reader, self.network, query)
        }

    def page(self, reader: Any, url: str) -> Any:
        return self.client_for(reader).get(url)

    def exported(self, reader: Any) -> str:
        return "\n".join(
            json.dumps(proxy, ensure_ascii=False)
            for proxy in ftm.export(self.network, iter(access.links(reader, self.network)))
        )

    @property
    def private_items(self) -> set[tuple[str, int]]:
        return {
            ("testimony", self.private_testimony.pk),
            ("wage", self.private_wage.pk),
            ("link", self.private_link.pk),
        }


class PrivateItemsTests(AccessMatrixTestCase):
    def test_search_never_finds_them_for_another_organization(self) -> None:
        for query in ("fire exit", "seamstress", "payslip", "lading", "Halvorsen", "Grenholm"):
            with self.subTest(query=query):
                self.assertFalse(self.hits(self.outsider, query) & self.private_items)
        self.assertEqual(self.hits(self.outsider, "fire exit"), set())
        self.assertEqual(self.hits(self.outsider, "Halvorsen"), {("entity", self.halvorsen.pk)})
        self.assertIn(("testimony", self.private_testimony.pk), self.hits(self.member, "fire"))
        self.assertIn(("wage", self.private_wage.pk), self.hits(self.member, "seamstress"))
        self.assertIn(("link", self.private_link.pk), self.hits(self.member, "lading"))

    def test_the_cross_reference_never_counts_them_for_another_organization(self) -> None:
        theirs = xref.cross_reference(self.outsider, self.network)
        evidence = {(e.kind, e.object_id) for a in theirs for e in a.evidence}
        self.assertFalse(evidence & self.private_items)
        grouped = {pk for a in theirs for pk in a.group.entity_ids}
        self.assertNotIn(self.halvorsen.pk, grouped)
        self.assertNotIn(self.grenholm.pk, grouped)
        self.assertEqual(xref.appearance(self.outsider, self.network, self.halvorsen).evidence, [])
        ours = xref.appearance(self.member, self.network, self.halvorsen)
        self.assertEqual({(e.kind, e.object_id) for e in ours.evidence}, self.private_items)
        self.assertEqual(ours.breadth, (1, 2, 3))

    def test_the_map_never_shows_them_to_another_organization(self) -> None:
        url = reverse("archive:map", args=[self.network.slug])
        theirs = self.page(self.outsider, url)
        self.assertEqual(theirs.status_code, 200)
        html = theirs.content.decode()
        self.assertIn("Corvane Logistics GmbH", html)
        for secret in ("Halvorsen", "Grenholm"):
            self.assertNotIn(secret, html)
        ours = self.page(self.member, url).content.decode()
        self.assertIn("Halvorsen Textiles AS", ours)

    def test_the_followthemoney_export_leaves_out_their_private_link(self) -> None:
        theirs = self.exported(self.outsider)
        self.assertNotIn("HX-4471", theirs)
        self.assertNotIn("grenholm-ships", theirs)
        self.assertNotIn('"UnknownLink"', theirs)
        self.assertIn('"halvorsen"', theirs)
        ours = self.exported(self.member)
        self.assertIn("HX-4471", ours)
        self.assertIn("link:alpha-union:grenholm-ships", ours)

    def test_the_export_download_leaves_out_their_private_link(self) -> None:
        url = reverse("archive:export", args=[self.network.slug])
        theirs = self.page(self.outsider, url)
        self.assertEqual(theirs["Content-Type"], "application/x-ndjson; charset=utf-8")
        self.assertNotIn("HX-4471", theirs.content.decode())
        self.assertIn('"halvorsen"', theirs.content.decode())
        self.assertIn("HX-4471", self.page(self.member, url).content.decode())
        self.assertEqual(self.page(self.stranger, url).status_code, 404)

    def test_the_entity_s_mentions_leave_out_their_private_testimony(self) -> None:
        self.assertEqual(
            list(access.mentions_of(self.outsider, self.network, [self.halvorsen])), []
        )
        [mention] = access.mentions_of(self.member, self.network, [self.halvorsen])
        self.assertEqual(mention.testimony_id, self.private_testimony.pk)

    def test_the_entity_page_shows_another_organization_none_of_them(self) -> None:
        url = reverse("archive:entity", args=[self.halvorsen.pk])
        theirs = self.page(self.outsider, url)
        self.assertEqual(theirs.status_code, 200)
        html = theirs.content.decode()
        for secret in ("Locked exits", "seamstress", "HX-4471", "Grenholm", "Tove"):
            self.assertNotIn(secret, html)
        ours = self.page(self.member, url).content.decode()
        self.assertIn("Locked exits at the mill", ours)
        self.assertIn("Grenholm Shipping AB", ours)

    def test_the_testimony_page_is_not_found_for_another_organization(self) -> None:
        url = reverse("archive:testimony", args=[self.private_testimony.pk])
        self.assertEqual(self.page(self.outsider, url).status_code, 404)
        self.assertEqual(self.page(self.stranger, url).status_code, 404)
        ours = self.page(self.member, url)
        self.assertEqual(ours.status_code, 200)
        self.assertIn("Tove Lindqvist", ours.content.decode())

    def test_search_results_lead_nowhere_for_another_organization(self) -> None:
        for kind, pk in self.private_items:
            with self.subTest(kind=kind):
                url = reverse("archive:hit", args=[kind, pk])
                self.assertEqual(self.page(self.outsider, url).status_code, 404)
                self.assertEqual(self.page(self.member, url).status_code, 302)


class RedactedTestimonyTests(AccessMatrixTestCase):
    def test_another_organization_reads_the_page_without_the_redacted_words(self) -> None:
        url = reverse("archive:testimony", args=[self.shared_testimony.pk])
        theirs = self.page(self.outsider, url)
        self.assertEqual(theirs.status_code, 200)
        html = theirs.content.decode()
        self.assertNotIn("Dragan", html)
        self.assertNotIn("Petrović", html)
        self.assertIn("sent the foreman […] to the depot", html)
        ours = self.page(self.member, url).content.decode()
        self.assertIn(f"sent the foreman {SECRET_NAME} to the depot", ours)

    def test_another_organization_reads_its_translation_without_the_redacted_words(self) -> None:
        actions.save_translation(
            self.translator,
            item=self.shared_testimony,
            language="pt",
            title="As visitas do capataz",
            text="A Corvane Logistics GmbH mandou o capataz [[Dragan Petrović]] ao depósito.",
        )
        url = reverse("archive:testimony", args=[self.shared_testimony.pk]) + "?language=pt"
        theirs = self.page(self.outsider, url).content.decode()
        self.assertIn("mandou o capataz […] ao depósito", theirs)
        self.assertNotIn("Dragan", theirs)
        [hit] = search.search(self.outsider, self.network, "capataz")
        self.assertNotIn("Dragan", hit.snippet)
        ours = self.page(self.member, url).content.decode()
        self.assertIn(f"mandou o capataz {SECRET_NAME} ao depósito", ours)

    def test_search_snippets_never_hold_the_redacted_words(self) -> None:
        for reader in (self.outsider, self.member):
            with self.subTest(reader=str(reader)):
                hits = search.search(reader, self.network, "foreman depot")
                [hit] = [h for h in hits if h.entry.object_id == self.shared_testimony.pk]
                self.assertEqual(hit.entry.kind, "testimony")
                self.assertNotIn("Dragan", hit.snippet)
                self.assertIn("[…]", hit.snippet)
                self.assertEqual(self.hits(reader, "Dragan"), set())
        page = self.page(
            self.outsider, reverse("archive:search", args=[self.network.slug]) + "?q=foreman"
        )
        self.assertEqual(page.status_code, 200)
        self.assertNotIn("Dragan", page.content.decode())

    def test_cross_reference_excerpts_never_hold_the_redacted_words(self) -> None:
        theirs = xref.appearance(self.outsider, self.network, self.corvane)
        [evidence] = [
            e
            for e in theirs.evidence
            if (e.kind, e.object_id) == ("testimony", self.shared_testimony.pk)
        ]
        self.assertIn("Corvane Logistics GmbH sent the foreman […] to the depot", evidence.excerpt)
        self.assertNotIn("Dragan", evidence.excerpt)
        group = self.page(self.outsider, reverse("archive:group", args=[self.corvane.pk]))
        self.assertEqual(group.status_code, 200)
        self.assertNotIn("Dragan", group.content.decode())
        ours = xref.appearance(self.member, self.network, self.corvane)
        [own] = [e for e in ours.evidence if e.object_id == self.shared_testimony.pk]
        self.assertIn(SECRET_NAME, own.excerpt)

    def test_recurring_rhetoric_never_holds_the_redacted_words(self) -> None:
        [theirs] = xref.recurring_rhetoric(self.outsider, self.network)
        self.assertEqual(
            {p.passage.origin for p in theirs},
            {f"testimony:{self.shared_testimony.pk}", f"testimony:{self.beta_testimony.pk}"},
        )
        for passage in theirs:
            self.assertNotIn("Dragan", passage.passage.text)
        page = self.page(
            self.outsider, reverse("archive:cross-reference", args=[self.network.slug])
        )
        self.assertEqual(page.status_code, 200)
        html = page.content.decode()
        self.assertIn("said the company is like a family to all of us.", html)
        self.assertNotIn("Dragan", html)
        [ours] = xref.recurring_rhetoric(self.member, self.network)
        self.assertTrue(any(SECRET_NAME in p.passage.text for p in ours))

    def test_its_mentions_are_read_by_the_network(self) -> None:
        [theirs] = access.mentions_of(self.outsider, self.network, [self.corvane])
        self.assertEqual(theirs.testimony_id, self.shared_testimony.pk)
        entity = self.page(self.outsider, reverse("archive:entity", args=[self.corvane.pk]))
        html = entity.content.decode()
        self.assertIn("The foreman&#x27;s visits", html)
        self.assertNotIn("Dragan", html)


class OtherNetworkTests(AccessMatrixTestCase):
    def test_a_member_of_another_network_finds_none_of_its_pages(self) -> None:
        slug = self.network.slug
        for url in (
            reverse("archive:home", args=[slug]),
            reverse("archive:map", args=[slug]),
            reverse("archive:search", args=[slug]) + "?q=foreman",
            reverse("archive:cross-reference", args=[slug]),
            reverse("archive:entities", args=[slug]),
            reverse("archive:entity", args=[self.corvane.pk]),
            reverse("archive:group", args=[self.corvane.pk]),
            reverse("archive:testimony", args=[self.shared_testimony.pk]),
            reverse("archive:testimony", args=[self.private_testimony.pk]),
            reverse("archive:hit", args=["testimony", self.shared_testimony.pk]),
        ):
            with self.subTest(url=url):
                self.assertEqual(self.page(self.stranger, url).status_code, 404)

    def test_a_member_of_another_network_reads_nothing_of_it(self) -> None:
        self.assertEqual(search.search(self.stranger, self.network, "foreman"), [])
        self.assertEqual(search.search(self.stranger, self.network, "Corvane"), [])
        with self.assertRaises(Http404):
            xref.cross_reference(self.stranger, self.network)
        with self.assertRaises(Http404):
            access.entities_of(self.stranger, self.network)
        self.assertEqual(list(access.mentions_of(self.stranger, self.network, [self.corvane])), [])
        self.assertEqual(list(access.links(self.stranger, self.network)), [])
        self.assertEqual(xref.recurring_rhetoric(self.stranger, self.network), [])

    def test_an_anonymous_visitor_is_sent_to_log_in(self) -> None:
        response = self.page(None, reverse("archive:map", args=[self.network.slug]))
        self.assertEqual(response.status_code, 302)
        self.assertIn("login", response["Location"])
