"""Full-text search of the archive: words and prefixes, accents, marked and escaped snippets,
filters, shared copies only, translations and relay transcripts, and each reader's rights."""

from datetime import date
from typing import Any

from django.db import connection
from django.utils.safestring import SafeString

from internationale.archive import actions, search
from internationale.archive import models as archive
from internationale.archive.models import SearchEntry
from internationale.archive.search import Filters
from internationale.archive.tests.world import ArchiveTestCase
from internationale.network import actions as network_actions
from internationale.relay import actions as relay_actions
from internationale.relay.models import Report


class SearchTestCase(ArchiveTestCase):
    relay: Any

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        circle = network_actions.create_circle(
            cls.coordinator, organization=cls.alpha, name="Harbour circle", members=[cls.member]
        )
        cls.relay = relay_actions.start_relay(
            cls.coordinator,
            network=cls.network,
            title="What does the night shift cost?",
            prompt="Tell the next circle what the night shift costs you.",
            circles=[circle],
            languages=["en"],
        )

    def record(
        self,
        text: str,
        *,
        title: str = "Night shifts at the depot",
        language: str = "en",
        visibility: str = "network",
        beta: bool = False,
        key: str = "",
    ) -> archive.Testimony:
        return actions.record_testimony(
            self.outsider if beta else self.member,
            network=self.network,
            organization=self.beta if beta else self.alpha,
            testimony=actions.TestimonyFields(
                title=title,
                speaker="Lantern",
                language=language,
                text=text,
                consent="network",
                visibility=visibility,
                key=key,
            ),
        )

    def report(self, text: str, *, visibility: str = "network") -> Report:
        return relay_actions.add_text_report(
            self.member,
            leg=self.relay.legs.get(position=0),
            fields=relay_actions.ReportFields(
                title="Night shift", speaker="Harbour", language="en", visibility=visibility
            ),
            text=text,
        )

    def found(
        self, reader: Any, query: str, filters: Filters | None = None
    ) -> list[tuple[str, int]]:
        return [
            (hit.entry.kind, hit.entry.object_id)
            for hit in search.search(reader, self.network, query, filters or Filters())
        ]


class WordTests(SearchTestCase):
    def test_it_finds_a_testimony_by_a_word_of_its_text_or_title(self) -> None:
        testimony = self.record("They made us work overtime without pay.")
        self.assertEqual(self.found(self.outsider, "overtime"), [("testimony", testimony.pk)])
        self.assertEqual(self.found(self.outsider, "Depot"), [("testimony", testimony.pk)])
        self.assertEqual(self.found(self.outsider, "OVERTIME pay"), [("testimony", testimony.pk)])
        self.assertEqual(self.found(self.outsider, "overtime holidays"), [])
        self.assertEqual(self.found(self.outsider, "   "), [])

    def test_each_word_is_looked_up_as_a_prefix(self) -> None:
        testimony = self.record(
            "O sindicato organizou a greve.", language="pt", title="Greve no porto"
        )
        self.assertEqual(self.found(self.outsider, "sindica"), [("testimony", testimony.pk)])
        self.assertEqual(self.found(self.outsider, "sind org"), [("testimony", testimony.pk)])
        self.assertEqual(self.found(self.outsider, "sindicatos"), [])

    def test_accents_are_ignored_on_sqlite_and_kept_on_postgresql(self) -> None:
        testimony = self.record("O salário atrasou três meses.", language="pt")
        self.assertEqual(self.found(self.outsider, "salário"), [("testimony", testimony.pk)])
        self.assertEqual(self.found(self.outsider, "SALÁRIO"), [("testimony", testimony.pk)])
        if connection.vendor == "sqlite":
            self.assertEqual(self.found(self.outsider, "salario"), [("testimony", testimony.pk)])
            self.assertEqual(self.found(self.outsider, "tres"), [("testimony", testimony.pk)])
        else:
            self.assertEqual(self.found(self.outsider, "salario"), [])

    def test_a_word_is_found_as_it_is_written_in_its_own_script(self) -> None:
        for text, language, query in (
            ("Die Straße zum Lager war gesperrt.", "de", "Straße"),
            ("Οι εργάτες της αποθήκης απεργούν.", "el", "εργάτες"),
            ("İstanbul limanında grev var.", "tr", "İstanbul"),
        ):
            with self.subTest(query=query):
                testimony = self.record(text, language=language)
                self.assertIn(("testimony", testimony.pk), self.found(self.outsider, query))


class SnippetTests(SearchTestCase):
    def test_the_matched_words_are_marked_in_the_title_and_snippet(self) -> None:
        self.record("They made us work overtime without pay.", title="Overtime at the depot")
        [hit] = search.search(self.outsider, self.network, "overtime")
        self.assertIsInstance(hit.title, SafeString)
        self.assertIsInstance(hit.snippet, SafeString)
        self.assertIn("<mark>Overtime</mark> at the depot", hit.title)
        self.assertIn("work <mark>overtime</mark> without", hit.snippet)

    def test_the_snippet_is_escaped_around_the_marks(self) -> None:
        self.record('The supervisor posted <script>alert("x")</script> & unpaid overtime rules.')
        [hit] = search.search(self.outsider, self.network, "overtime")
        self.assertNotIn("<script>", hit.snippet)
        self.assertIn("<mark>overtime</mark>", hit.snippet)
        self.assertEqual(hit.snippet.count("<mark>"), hit.snippet.count("</mark>"))
        self.assertIn("&amp; unpaid", hit.snippet)
        self.assertIn("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;", hit.snippet)

    def test_the_title_is_escaped_around_the_marks(self) -> None:
        self.record("The rules were signed.", title="Rules <b>posted</b> & signed")
        [hit] = search.search(self.outsider, self.network, "posted")
        self.assertNotIn("<b>", hit.title)
        self.assertEqual(
            str(hit.title), "Rules &lt;b&gt;<mark>posted</mark>&lt;/b&gt; &amp; signed"
        )

    def test_words_between_angle_brackets_are_found_and_shown(self) -> None:
        testimony = self.record("The manager said <you are all fired> after the vote.")
        self.assertEqual(self.found(self.outsider, "fired"), [("testimony", testimony.pk)])
        [hit] = search.search(self.outsider, self.network, "vote")
        self.assertIn("&lt;you are all fired&gt; after the <mark>vote</mark>", hit.snippet)


class FilterTests(SearchTestCase):
    def setUp(self) -> None:
        self.english = self.record("The warehouse closed at dawn.")
        self.portuguese = self.record("O warehouse fechou de madrugada.", language="pt", beta=True)
        self.wage = actions.record_wage(
            self.member,
            network=self.network,
            organization=self.alpha,
            wage=actions.Wage(
                employer=self.corvane_tr,
                country="TR",
                job="warehouse loader",
                pay="22000",
                currency="TRY",
                period="month",
                hours="187.5",
                observed_on=date(2026, 3, 1),
                visibility="network",
            ),
        )

    def test_everything_matching_is_found_without_filters(self) -> None:
        self.assertEqual(
            set(self.found(self.outsider, "warehouse")),
            {
                ("testimony", self.english.pk),
                ("testimony", self.portuguese.pk),
                ("wage", self.wage.pk),
            },
        )

    def test_it_filters_by_kind(self) -> None:
        self.assertEqual(
            self.found(self.outsider, "warehouse", Filters(kind="wage")), [("wage", self.wage.pk)]
        )
        self.assertEqual(
            set(self.found(self.outsider, "warehouse", Filters(kind="testimony"))),
            {("testimony", self.english.pk), ("testimony", self.portuguese.pk)},
        )
        self.assertEqual(self.found(self.outsider, "warehouse", Filters(kind="tactic")), [])

    def test_it_filters_by_language(self) -> None:
        self.assertEqual(
            self.found(self.outsider, "warehouse", Filters(language="pt")),
            [("testimony", self.portuguese.pk)],
        )
        self.assertEqual(
            self.found(self.outsider, "warehouse", Filters(language="pt-BR")),
            [("testimony", self.portuguese.pk)],
        )
        self.assertEqual(
            self.found(self.outsider, "warehouse", Filters(language="en")),
            [("testimony", self.english.pk)],
        )

    def test_it_filters_by_country(self) -> None:
        self.assertEqual(
            self.found(self.outsider, "warehouse", Filters(country="br")),
            [("testimony", self.portuguese.pk)],
        )
        self.assertEqual(
            self.found(self.outsider, "warehouse", Filters(country="US")),
            [("testimony", self.english.pk)],
        )
        self.assertEqual(
            self.found(self.outsider, "warehouse", Filters(country="TR")),
            [("wage", self.wage.pk)],
        )
        self.assertEqual(
            self.found(self.outsider, "warehouse", Filters(kind="wage", country="US")), []
        )


class SharedCopyTests(SearchTestCase):
    def test_a_redacted_word_is_never_found_not_even_by_its_own_organization(self) -> None:
        testimony = self.record("The manager [[Volkmar Brandt]] counted our breaks.")
        for reader in (self.member, self.coordinator, self.outsider):
            with self.subTest(reader=str(reader)):
                self.assertEqual(self.found(reader, "Volkmar"), [])
                self.assertEqual(self.found(reader, "brandt"), [])
                [hit] = search.search(reader, self.network, "counted")
                self.assertEqual(hit.entry.object_id, testimony.pk)
                self.assertNotIn("Volkmar", hit.snippet)
                self.assertIn("[…]", hit.snippet)

    def test_a_redacted_word_of_a_private_testimony_is_not_found_by_its_organization(
        self,
    ) -> None:
        self.record("Our steward is [[Ilse Marquardt]].", visibility="private")
        self.assertEqual(self.found(self.member, "Marquardt"), [])
        self.assertFalse(SearchEntry.objects.filter(body__contains="Marquardt").exists())

    def test_a_resaved_testimony_no_longer_matches_its_old_words(self) -> None:
        first = self.record("The canteen served cold rice.", key="canteen")
        again = self.record("The canteen served stale bread.", key="canteen")
        self.assertEqual(first.pk, again.pk)
        self.assertEqual(self.found(self.outsider, "rice"), [])
        self.assertEqual(self.found(self.outsider, "stale"), [("testimony", first.pk)])
        self.assertEqual(SearchEntry.objects.filter(kind="testimony").count(), 1)

    def test_a_testimony_made_private_leaves_other_organizations_results(self) -> None:
        testimony = self.record("The canteen served cold rice.", key="canteen")
        translation = actions.save_translation(
            self.translator,
            item=testimony,
            language="pt",
            title="A cantina",
            text="A cantina serviu arroz frio.",
        )
        self.assertEqual(self.found(self.outsider, "arroz"), [("translation", translation.pk)])
        self.assertEqual(self.found(self.outsider, "rice"), [("testimony", testimony.pk)])
        self.record("The canteen served cold rice.", key="canteen", visibility="private")
        self.assertEqual(self.found(self.outsider, "rice"), [])
        self.assertEqual(self.found(self.outsider, "arroz"), [])
        self.assertEqual(self.found(self.member, "rice"), [("testimony", testimony.pk)])
        self.assertEqual(self.found(self.member, "arroz"), [("translation", translation.pk)])


class TranslationTests(SearchTestCase):
    def test_a_translation_is_found_in_its_own_words_without_its_redactions(self) -> None:
        testimony = self.record("The manager [[Volkmar]] threatened the strikers.")
        translation = actions.save_translation(
            self.translator,
            item=testimony,
            language="pt",
            title="Ameaças no depósito",
            text="O gerente [[Volkmar]] ameaçou os grevistas.",
        )
        self.assertEqual(self.found(self.outsider, "grevistas"), [("translation", translation.pk)])
        self.assertEqual(
            self.found(self.outsider, "ameaças", Filters(language="pt")),
            [("translation", translation.pk)],
        )
        self.assertEqual(self.found(self.member, "Volkmar"), [])

    def test_a_translation_of_a_private_testimony_stays_with_its_organization(self) -> None:
        testimony = self.record("The manager threatened the strikers.", visibility="private")
        translation = actions.save_translation(
            self.translator,
            item=testimony,
            language="pt",
            title="Ameaças",
            text="O gerente ameaçou os grevistas.",
        )
        self.assertEqual(self.found(self.outsider, "grevistas"), [])
        self.assertEqual(self.found(self.member, "grevistas"), [("translation", translation.pk)])

    def test_a_rewritten_translation_no_longer_matches_its_old_words(self) -> None:
        testimony = self.record("The manager threatened the strikers.")
        for text in ("O gerente ameaçou os grevistas.", "O chefe intimidou os grevistas."):
            translation = actions.save_translation(
                self.translator, item=testimony, language="pt", title="Ameaças", text=text
            )
        self.assertEqual(self.found(self.outsider, "gerente"), [])
        self.assertEqual(self.found(self.outsider, "intimidou"), [("translation", translation.pk)])


class TranscriptTests(SearchTestCase):
    def test_a_relay_transcript_is_found_without_indexing_it_first(self) -> None:
        report = self.report("We loaded the trucks until midnight.\n\nNobody paid the extra hour.")
        transcript = report.transcripts.get()
        self.assertFalse(SearchEntry.objects.filter(kind="transcript").exists())
        self.assertEqual(self.found(self.outsider, "midnight"), [("transcript", transcript.pk)])
        self.assertEqual(
            self.found(self.outsider, "trucks", Filters(kind="transcript")),
            [("transcript", transcript.pk)],
        )

    def test_a_private_report_is_found_by_its_organization_only(self) -> None:
        report = self.report("We loaded the trucks until midnight.", visibility="private")
        transcript = report.transcripts.get()
        self.assertEqual(self.found(self.outsider, "midnight"), [])
        self.assertEqual(self.found(self.member, "midnight"), [("transcript", transcript.pk)])

    def test_a_corrected_transcript_no_longer_matches_its_old_words(self) -> None:
        report = self.report("We loaded the trucks until midnight.")
        transcript = report.transcripts.get()
        self.assertEqual(self.found(self.outsider, "midnight"), [("transcript", transcript.pk)])
        relay_actions.save_transcript(
            self.member,
            report=report,
            language="en",
            lines=[relay_actions.Line(0, 0, "We loaded the vans until dawn.")],
        )
        self.assertEqual(self.found(self.outsider, "midnight"), [])
        self.assertEqual(self.found(self.outsider, "dawn"), [("transcript", transcript.pk)])

    def test_a_transcript_is_indexed_again_only_when_it_changed(self) -> None:
        from internationale.archive import indexing

        report = self.report("We loaded the trucks until midnight.")
        self.assertEqual(indexing.sync_transcripts(self.network), 1)
        self.assertEqual(indexing.sync_transcripts(self.network), 0)
        type(report).objects.filter(pk=report.pk).update(visibility="private")
        self.assertEqual(indexing.sync_transcripts(self.network), 1)
        self.assertEqual(self.found(self.outsider, "midnight"), [])


class ReaderTests(SearchTestCase):
    def test_a_private_testimony_is_found_by_its_organization_only(self) -> None:
        testimony = self.record("The forklift brakes failed twice.", visibility="private")
        self.assertEqual(self.found(self.member, "forklift"), [("testimony", testimony.pk)])
        self.assertEqual(self.found(self.coordinator, "forklift"), [("testimony", testimony.pk)])
        self.assertEqual(self.found(self.outsider, "forklift"), [])
        self.assertEqual(self.found(self.stranger, "forklift"), [])
        self.assertEqual(self.found(None, "forklift"), [])

    def test_a_private_testimony_of_beta_is_not_found_by_alpha(self) -> None:
        testimony = self.record(
            "The forklift brakes failed twice.", visibility="private", beta=True
        )
        self.assertEqual(self.found(self.outsider, "forklift"), [("testimony", testimony.pk)])
        self.assertEqual(self.found(self.member, "forklift"), [])

    def test_a_network_testimony_is_found_by_the_network_only(self) -> None:
        testimony = self.record("The forklift brakes failed twice.")
        self.assertEqual(self.found(self.outsider, "forklift"), [("testimony", testimony.pk)])
        self.assertEqual(self.found(self.stranger, "forklift"), [])
        self.assertEqual(self.found(None, "forklift"), [])
