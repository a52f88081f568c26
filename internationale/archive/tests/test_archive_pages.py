"""The archive's pages through the test client: who may open each, and what each form
writes, refuses and shows."""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.utils.http import urlencode

from internationale.archive import actions, resolution
from internationale.archive.models import (
    Entity,
    Judgement,
    LegalTactic,
    Link,
    Rate,
    Translation,
    WageRecord,
)
from internationale.archive.models import Testimony as SavedTestimony
from internationale.archive.tests.world import ArchiveTestCase
from internationale.core.testing import PASSWORD
from internationale.network import actions as network_actions

NIGHT_SHIFT = (
    "Corvane Logistics GmbH cut the pay of the night shift.\n\n"
    "The manager said a union will only take our money."
)


class ArchivePagesTestCase(ArchiveTestCase):
    """The archive's test world, with a researcher of Alpha and a network testimony of Alpha
    that mentions Corvane Logistics, a Portuguese translation of it, a legal tactic against
    Corvane, and a group judgement joining Corvane's German and Turkish records."""

    researcher: Any
    testimony: Any
    translation: Any
    tactic: Any
    judgement: Any

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        _invitation, token = network_actions.invite_person(
            None, organization=cls.alpha, capabilities=("researcher",)
        )
        cls.researcher = network_actions.accept_person_invitation(
            None, token=token, display_name="Researcher A", password=PASSWORD
        )
        cls.testimony = actions.record_testimony(
            cls.member,
            network=cls.network,
            organization=cls.alpha,
            testimony=actions.TestimonyFields(
                title="Night shift at the depot",
                speaker="Lantern",
                language="en",
                text=NIGHT_SHIFT,
                consent="network",
                visibility="network",
            ),
        )
        cls.translation = actions.save_translation(
            cls.translator,
            item=cls.testimony,
            language="pt",
            title="Turno da noite no depósito",
            text="A Corvane Logistics GmbH cortou o salário do turno da noite.",
        )
        cls.tactic = actions.record_tactic(
            cls.member,
            network=cls.network,
            organization=cls.alpha,
            tactic=actions.TacticFields(
                jurisdiction="Hamburg labour court",
                issue="Unpaid night premiums",
                tactic="A collective claim for three years of premiums.",
                outcome="won",
                against=cls.corvane,
                visibility="network",
            ),
        )
        cls.judgement = resolution.judge(
            cls.coordinator,
            network=cls.network,
            level="group",
            first=cls.corvane,
            second=cls.corvane_tr,
            verdict="same",
        )

    def archive_url(self, name: str) -> str:
        return reverse(f"archive:{name}", args=[self.network.slug])


class AccessTests(ArchivePagesTestCase):
    def pages(self) -> dict[str, str]:
        return {
            **{
                name: self.archive_url(name)
                for name in (
                    "home",
                    "search",
                    "entities",
                    "new-testimony",
                    "new-wage",
                    "new-link",
                    "new-tactic",
                    "import",
                    "resolution",
                    "cross-reference",
                    "map",
                    "rates",
                )
            },
            "search with words": self.archive_url("search") + "?q=night",
            "entity": reverse("archive:entity", args=[self.corvane.pk]),
            "group": reverse("archive:group", args=[self.corvane.pk]),
            "testimony": reverse("archive:testimony", args=[self.testimony.pk]),
            "translation": reverse("archive:testimony", args=[self.testimony.pk]) + "?language=pt",
            "tactic": reverse("archive:tactic", args=[self.tactic.pk]),
        }

    def test_it_opens_every_page_to_the_network_s_members_only(self) -> None:
        for persona, status in (
            (self.member, 200),
            (self.outsider, 200),
            (self.stranger, 404),
        ):
            client = self.client_for(persona)
            for name, url in self.pages().items():
                with self.subTest(persona=str(persona), page=name):
                    self.assertEqual(client.get(url).status_code, status)

    def test_it_sends_a_visitor_to_log_in(self) -> None:
        for name, url in self.pages().items():
            with self.subTest(page=name):
                response = self.client.get(url)
                self.assertRedirects(
                    response, f"{reverse('network:login')}?{urlencode({'next': url})}"
                )

    def test_a_private_testimony_stays_with_its_organization(self) -> None:
        private = actions.record_testimony(
            self.member,
            network=self.network,
            organization=self.alpha,
            testimony=actions.TestimonyFields(
                title="Locked gates",
                speaker="Heron",
                language="en",
                text="They locked the gates at Corvane Logistics GmbH.",
            ),
        )
        url = reverse("archive:testimony", args=[private.pk])
        self.assertContains(self.client_for(self.member).get(url), "They locked the gates")
        for persona in (self.outsider, self.stranger):
            with self.subTest(persona=str(persona)):
                self.assertEqual(self.client_for(persona).get(url).status_code, 404)
                self.assertNotContains(
                    self.client_for(persona).get(self.archive_url("home")),
                    "Locked gates",
                    status_code=200 if persona == self.outsider else 404,
                )

    def test_a_redaction_is_read_only_by_the_organization_that_recorded_it(self) -> None:
        redacted = actions.record_testimony(
            self.member,
            network=self.network,
            organization=self.alpha,
            testimony=actions.TestimonyFields(
                title="The inspector",
                speaker="Heron",
                language="en",
                text="The inspector came. [[He was paid by the manager.]] Nothing changed.",
                consent="network",
                visibility="network",
            ),
        )
        url = reverse("archive:testimony", args=[redacted.pk])
        own = self.client_for(self.member).get(url)
        self.assertContains(own, "He was paid by the manager.")
        other = self.client_for(self.outsider).get(url)
        self.assertContains(other, "The inspector came. […] Nothing changed.")
        self.assertNotContains(other, "paid by the manager")

    def test_a_search_result_leads_only_a_reader_to_its_item(self) -> None:
        url = reverse("archive:hit", args=["testimony", self.testimony.pk])
        self.assertRedirects(
            self.client_for(self.outsider).get(url),
            reverse("archive:testimony", args=[self.testimony.pk]),
        )
        self.assertEqual(self.client_for(self.stranger).get(url).status_code, 404)
        translation = reverse("archive:hit", args=["translation", self.translation.pk])
        self.assertRedirects(
            self.client_for(self.member).get(translation),
            reverse("archive:testimony", args=[self.testimony.pk]) + "?language=pt",
        )


class TestimonyFormTests(ArchivePagesTestCase):
    def form(self, **changes: str) -> dict[str, Any]:
        return {
            "organization": self.alpha.pk,
            "title": "Heat in the warehouse",
            "speaker": "Gull",
            "language": "en",
            "text": "It is forty degrees under the roof of Corvane Logistics GmbH.",
            "consent": "network",
            "visibility": "network",
            **changes,
        }

    def test_a_member_adds_a_testimony_and_lands_on_its_page(self) -> None:
        response = self.client_for(self.member).post(
            self.archive_url("new-testimony"), self.form(), follow=True
        )
        testimony = SavedTestimony.objects.get(title="Heat in the warehouse")
        self.assertEqual(
            response.redirect_chain, [(reverse("archive:testimony", args=[testimony.pk]), 302)]
        )
        self.assertContains(response, "Testimony saved.")
        self.assertContains(response, "forty degrees under the roof")
        self.assertEqual(
            (testimony.organization, testimony.speaker, testimony.visibility),
            (self.alpha, "Gull", "network"),
        )

    def test_a_missing_title_keeps_what_was_written_and_says_what_is_missing(self) -> None:
        response = self.client_for(self.member).post(
            self.archive_url("new-testimony"), self.form(title="")
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "It is forty degrees under the roof of Corvane Logistics")
        self.assertContains(response, "Gull")
        self.assertEqual(response.context["form"].errors["title"], ["This field is required."])
        self.assertContains(response, '<p class="error" role="alert">This field is required.</p>')
        self.assertFalse(SavedTestimony.objects.filter(speaker="Gull").exists())

    def test_a_visibility_wider_than_the_speaker_s_consent_is_refused_with_a_message(
        self,
    ) -> None:
        response = self.client_for(self.member).post(
            self.archive_url("new-testimony"),
            self.form(consent="organization", visibility="network"),
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "The speaker did not consent to sharing it that widely.")
        self.assertContains(response, "It is forty degrees under the roof")
        self.assertFalse(SavedTestimony.objects.filter(title="Heat in the warehouse").exists())

    def test_a_member_records_only_for_their_own_organization(self) -> None:
        response = self.client_for(self.member).post(
            self.archive_url("new-testimony"), self.form(organization=str(self.beta.pk))
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("organization", response.context["form"].errors)
        self.assertFalse(SavedTestimony.objects.filter(title="Heat in the warehouse").exists())


class KnowledgeFormTests(ArchivePagesTestCase):
    def test_a_member_adds_an_entity(self) -> None:
        response = self.client_for(self.member).post(
            self.archive_url("entities"),
            {
                "name": "Corvane Holding SE",
                "schema": "Company",
                "aliases": "Corvane Group\nCVH",
                "countries": "LU, de",
                "lei": "",
                "registration": "B 123456",
            },
        )
        entity = Entity.objects.get(name="Corvane Holding SE")
        self.assertRedirects(response, reverse("archive:entity", args=[entity.pk]))
        self.assertEqual(entity.aliases, ["Corvane Group", "CVH"])
        self.assertEqual(entity.countries, ["LU", "DE"])
        self.assertEqual(entity.identifiers, {"registrationNumber": ["B 123456"]})

    def test_a_member_adds_a_wage_record_shown_on_its_employer_s_page(self) -> None:
        response = self.client_for(self.member).post(
            self.archive_url("new-wage"),
            {
                "organization": self.alpha.pk,
                "employer": self.corvane.pk,
                "country": "de",
                "city": "Hamburg",
                "sector": "logistics",
                "job": "picker",
                "pay": "2320.00",
                "currency": "eur",
                "period": "month",
                "hours": "160",
                "observed_on": "2026-03-01",
                "source": "Payslip",
                "visibility": "network",
            },
        )
        record = WageRecord.objects.get(job="picker")
        self.assertRedirects(
            response,
            reverse("archive:entity", args=[self.corvane.pk]) + f"#wage-{record.pk}",
            fetch_redirect_response=False,
        )
        self.assertEqual(
            (record.pay, record.currency, record.hours, record.country),
            (232000, "EUR", 16000, "DE"),
        )
        page = self.client_for(self.outsider).get(reverse("archive:entity", args=[self.corvane.pk]))
        self.assertContains(page, f'id="wage-{record.pk}"')
        self.assertContains(page, "Hamburg")

    def test_a_wrong_amount_is_shown_on_its_field(self) -> None:
        response = self.client_for(self.member).post(
            self.archive_url("new-wage"),
            {
                "organization": self.alpha.pk,
                "employer": self.corvane.pk,
                "country": "DE",
                "job": "picker",
                "pay": "14.505",
                "currency": "EUR",
                "period": "hour",
                "hours": "1",
                "observed_on": "2026-03-01",
                "visibility": "network",
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("pay", response.context["form"].errors)
        self.assertFalse(WageRecord.objects.exists())

    def test_a_member_adds_a_link_shown_on_both_entities_pages(self) -> None:
        response = self.client_for(self.member).post(
            self.archive_url("new-link"),
            {
                "organization": self.alpha.pk,
                "source": self.corvane.pk,
                "kind": "owns",
                "target": self.corvane_tr.pk,
                "share": "70",
                "evidence": "Annual report 2025, page 12.",
                "visibility": "network",
            },
        )
        link = Link.objects.get()
        self.assertRedirects(
            response,
            reverse("archive:entity", args=[self.corvane.pk]) + f"#link-{link.pk}",
            fetch_redirect_response=False,
        )
        self.assertEqual((link.kind, link.share), ("owns", 7000))
        for entity in (self.corvane, self.corvane_tr):
            page = self.client_for(self.outsider).get(reverse("archive:entity", args=[entity.pk]))
            self.assertContains(page, f'id="link-{link.pk}"')
            self.assertContains(page, "Annual report 2025, page 12.")

    def test_a_member_adds_a_legal_tactic_and_lands_on_its_page(self) -> None:
        response = self.client_for(self.member).post(
            self.archive_url("new-tactic"),
            {
                "organization": self.alpha.pk,
                "jurisdiction": "Gaziantep",
                "issue": "Dismissal for joining the union",
                "tactic": "A reinstatement case with the union's lawyers.",
                "outcome": "pending",
                "documents": "",
                "against": self.corvane_tr.pk,
                "visibility": "network",
            },
        )
        tactic = LegalTactic.objects.get(issue="Dismissal for joining the union")
        self.assertRedirects(response, reverse("archive:tactic", args=[tactic.pk]))
        self.assertEqual(tactic.against, self.corvane_tr)
        page = self.client_for(self.outsider).get(response.url)
        self.assertContains(page, "A reinstatement case with the union")
        self.assertContains(page, reverse("archive:entity", args=[self.corvane_tr.pk]))


class ImportPageTests(ArchivePagesTestCase):
    def post(self, text: str) -> Any:
        return self.client_for(self.member).post(
            self.archive_url("import"),
            {
                "organization": self.alpha.pk,
                "kind": "wages",
                "file": SimpleUploadedFile("wages.csv", text.encode(), "text/csv"),
            },
        )

    def test_a_file_with_one_bad_row_names_its_line_and_reason_and_writes_nothing(self) -> None:
        response = self.post(
            "key,employer,country,job,pay,currency,period,hours,observed_on\n"
            "w1,corvane-de,DE,picker,14.50,EUR,hour,1,2026-03-01\n"
            "w2,nobody,TR,loader,22000,TRY,month,225,2026-03-01\n"
            "w3,corvane-tr,TR,loader,22000,TRY,month,225,2026-03-01\n"
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Nothing was imported.")
        self.assertContains(response, "Line 3: no entity with the key nobody")
        self.assertNotContains(response, "Line 2")
        self.assertNotContains(response, "Line 4")
        self.assertFalse(WageRecord.objects.exists())

    def test_a_good_file_is_imported(self) -> None:
        response = self.post(
            "key,employer,country,job,pay,currency,period,hours,observed_on\n"
            "w1,corvane-de,DE,picker,14.50,EUR,hour,1,2026-03-01\n"
        )
        self.assertRedirects(response, self.archive_url("home"))
        self.assertEqual(WageRecord.objects.get().pay, 1450)

    def test_a_file_that_is_not_utf8_is_refused(self) -> None:
        response = self.client_for(self.member).post(
            self.archive_url("import"),
            {
                "organization": self.alpha.pk,
                "kind": "entities",
                "file": SimpleUploadedFile("names.csv", "key,name\nx,Çorvane\n".encode("cp1254")),
            },
        )
        self.assertContains(response, "The file is not UTF-8 text.")
        self.assertFalse(Entity.objects.filter(key="x").exists())


class JudgementPageTests(ArchivePagesTestCase):
    def judge(self, persona: Any, *, data_next: str = "", **extra: Any) -> Any:
        data = {
            "level": "entity",
            "left": self.corvane_tr.pk,
            "right": self.corvane.pk,
            "verdict": "different",
        }
        if data_next:
            data["next"] = data_next
        return self.client_for(persona).post(self.archive_url("judge"), data, **extra)

    def test_a_researcher_judges_a_pair_and_withdraws_the_judgement(self) -> None:
        resolution_url = self.archive_url("resolution") + "?level=entity"
        response = self.judge(self.researcher, follow=True)
        self.assertEqual(response.redirect_chain, [(resolution_url, 302)])
        self.assertContains(response, "Judgement saved.")
        judgement = Judgement.objects.get(level="entity")
        self.assertEqual(
            (judgement.left, judgement.right, judgement.verdict, judgement.judged_by),
            (self.corvane, self.corvane_tr, "different", self.researcher),
        )
        withdraw = reverse("archive:withdraw", args=[judgement.pk])
        self.assertContains(response, withdraw)

        response = self.client_for(self.researcher).post(withdraw, follow=True)
        self.assertEqual(response.redirect_chain, [(resolution_url, 302)])
        self.assertContains(response, "Judgement withdrawn.")
        self.assertNotContains(response, withdraw)
        self.assertFalse(Judgement.objects.filter(level="entity").exists())

    def test_a_judgement_returns_to_a_page_of_the_site_and_nowhere_else(self) -> None:
        entity = reverse("archive:entity", args=[self.corvane.pk])
        response = self.judge(self.researcher, data_next=entity)
        self.assertRedirects(response, entity, fetch_redirect_response=False)
        resolution_url = self.archive_url("resolution") + "?level=entity"
        for elsewhere in ("//evil.example/", "https://evil.example/"):
            with self.subTest(next=elsewhere):
                response = self.judge(self.researcher, data_next=elsewhere)
                self.assertRedirects(response, resolution_url, fetch_redirect_response=False)

    def test_a_member_who_is_not_a_researcher_may_not_judge(self) -> None:
        self.assertEqual(self.judge(self.member).status_code, 403)
        self.assertFalse(Judgement.objects.filter(level="entity").exists())
        withdraw = reverse("archive:withdraw", args=[self.judgement.pk])
        self.assertEqual(self.client_for(self.member).post(withdraw).status_code, 403)
        self.assertTrue(Judgement.objects.filter(pk=self.judgement.pk).exists())
        page = self.client_for(self.member).get(self.archive_url("resolution") + "?level=group")
        self.assertNotContains(page, 'name="verdict"')
        self.assertNotContains(page, withdraw)

    def test_no_one_outside_the_network_judges_or_withdraws(self) -> None:
        self.assertEqual(self.judge(self.stranger).status_code, 404)
        withdraw = reverse("archive:withdraw", args=[self.judgement.pk])
        self.assertEqual(self.client_for(self.stranger).post(withdraw).status_code, 404)
        self.assertTrue(Judgement.objects.filter(pk=self.judgement.pk).exists())


class MentionPageTests(ArchivePagesTestCase):
    def test_the_testimony_links_each_mention_to_its_entity(self) -> None:
        page = self.client_for(self.outsider).get(
            reverse("archive:testimony", args=[self.testimony.pk])
        )
        entity_url = reverse("archive:entity", args=[self.corvane.pk])
        self.assertContains(
            page, f'<a class="mention" href="{entity_url}">Corvane Logistics GmbH</a>', html=True
        )

    def test_the_entity_lists_the_testimonies_that_mention_it(self) -> None:
        page = self.client_for(self.outsider).get(reverse("archive:entity", args=[self.corvane.pk]))
        testimony_url = reverse("archive:testimony", args=[self.testimony.pk])
        self.assertContains(page, f'href="{testimony_url}"')
        self.assertContains(page, "Night shift at the depot")
        self.assertContains(page, f'href="{testimony_url}?language=pt"')

    def test_a_mention_inside_a_redaction_is_listed_only_for_its_organization(self) -> None:
        redacted = actions.record_testimony(
            self.member,
            network=self.network,
            organization=self.alpha,
            testimony=actions.TestimonyFields(
                title="Who paid the inspector",
                speaker="Heron",
                language="en",
                text="The inspector came. [[Corvane Lojistik A.Ş. paid him.]]",
                consent="network",
                visibility="network",
            ),
        )
        url = reverse("archive:entity", args=[self.corvane_tr.pk])
        self.assertContains(self.client_for(self.member).get(url), redacted.title)
        self.assertNotContains(self.client_for(self.outsider).get(url), redacted.title)

    def test_a_mention_inside_a_redaction_of_a_tactic_s_translation_is_listed_for_its_organization(
        self,
    ) -> None:
        translation = actions.save_translation(
            self.translator,
            item=self.tactic,
            language="tr",
            title="Ödenmeyen gece primleri",
            text="Üç yıllık primler için toplu dava. [[Corvane Lojistik A.Ş. de ödemedi.]]",
        )
        url = reverse("archive:entity", args=[self.corvane_tr.pk])
        self.assertContains(self.client_for(self.member).get(url), translation.title)
        self.assertNotContains(self.client_for(self.outsider).get(url), translation.title)

    def test_an_entity_added_later_is_found_in_the_texts_recorded_before(self) -> None:
        port = actions.save_entity(
            self.outsider,
            network=self.network,
            fields=actions.EntityFields(name="Harbourline Terminals", countries=["DE"]),
        )
        actions.record_testimony(
            self.member,
            network=self.network,
            organization=self.alpha,
            testimony=actions.TestimonyFields(
                title="Cranes at night",
                speaker="Heron",
                language="en",
                text="Harbourline Terminals and Seaward Stevedoring share the night cranes.",
                consent="network",
                visibility="network",
            ),
        )
        later = actions.save_entity(
            self.outsider,
            network=self.network,
            fields=actions.EntityFields(name="Seaward Stevedoring", countries=["DE"]),
        )
        testimony = SavedTestimony.objects.get(title="Cranes at night")
        page = self.client_for(self.outsider).get(reverse("archive:testimony", args=[testimony.pk]))
        for entity in (port, later):
            with self.subTest(entity=entity.name):
                url = reverse("archive:entity", args=[entity.pk])
                self.assertContains(
                    page, f'<a class="mention" href="{url}">{entity.name}</a>', html=True
                )
                self.assertContains(self.client_for(self.outsider).get(url), "Cranes at night")


class TranslationPageTests(ArchivePagesTestCase):
    def test_a_translation_is_saved_and_reviewed_by_another_member(self) -> None:
        url = reverse("archive:translate", args=["tactic", self.tactic.pk])
        response = self.client_for(self.translator).post(
            url,
            {
                "language": "tr",
                "title": "Ödenmeyen gece primleri",
                "text": "Üç yıllık primler için toplu dava.",
            },
        )
        tactic_url = reverse("archive:tactic", args=[self.tactic.pk])
        self.assertRedirects(response, tactic_url + "?language=tr")
        translation = Translation.objects.get(tactic=self.tactic, language="tr")
        self.assertEqual((translation.review, translation.updated_by), ("draft", self.translator))

        review = reverse("archive:review-translation", args=[translation.pk])
        own = self.client_for(self.translator).get(tactic_url + "?language=tr")
        self.assertContains(own, "Üç yıllık primler için toplu dava.")
        self.assertNotContains(own, review)
        refused = self.client_for(self.translator).post(review, follow=True)
        self.assertContains(refused, "Someone other than its last editor reviews a translation.")
        self.assertEqual(Translation.objects.get(pk=translation.pk).review, "draft")

        other = self.client_for(self.member).get(tactic_url + "?language=tr")
        self.assertContains(other, review)
        response = self.client_for(self.member).post(review)
        self.assertRedirects(response, tactic_url + "?language=tr")
        translation.refresh_from_db()
        self.assertEqual((translation.review, translation.reviewed_by), ("reviewed", self.member))

    def test_a_translation_in_the_original_s_language_is_refused_with_a_message(self) -> None:
        url = reverse("archive:translate", args=["testimony", self.testimony.pk])
        response = self.client_for(self.translator).post(
            url, {"language": "en", "title": "Again", "text": "Again."}
        )
        self.assertContains(response, "Choose a language other than the original", status_code=400)
        self.assertContains(response, "Again.", status_code=400)
        self.assertFalse(Translation.objects.filter(title="Again").exists())

    def test_no_one_who_cannot_read_the_item_translates_it(self) -> None:
        url = reverse("archive:translate", args=["testimony", self.testimony.pk])
        data = {"language": "tr", "title": "Gece", "text": "Gece vardiyası."}
        self.assertEqual(self.client_for(self.stranger).post(url, data).status_code, 404)
        self.assertFalse(Translation.objects.filter(language="tr").exists())


class SearchPageTests(ArchivePagesTestCase):
    def test_the_words_found_are_marked_in_each_snippet(self) -> None:
        page = self.client_for(self.outsider).get(self.archive_url("search") + "?q=union")
        self.assertContains(page, "<mark>union</mark>")
        self.assertContains(page, reverse("archive:hit", args=["testimony", self.testimony.pk]))

    def test_a_word_is_found_without_its_accents_and_marked_as_written(self) -> None:
        # SQLite's index drops diacritics; PostgreSQL's 'simple' configuration keeps them.
        query = "salario" if connection.vendor == "sqlite" else "salário"
        page = self.client_for(self.member).get(self.archive_url("search") + f"?q={query}")
        self.assertContains(page, "<mark>salário</mark>")
        self.assertContains(page, reverse("archive:hit", args=["translation", self.translation.pk]))

    def test_nothing_private_or_redacted_is_found_by_another_organization(self) -> None:
        actions.record_testimony(
            self.member,
            network=self.network,
            organization=self.alpha,
            testimony=actions.TestimonyFields(
                title="Locked gates",
                speaker="Heron",
                language="en",
                text="They locked the gates with padlocks.",
            ),
        )
        actions.record_testimony(
            self.member,
            network=self.network,
            organization=self.alpha,
            testimony=actions.TestimonyFields(
                title="The inspector",
                speaker="Heron",
                language="en",
                text="The inspector came. [[He was bribed with envelopes.]]",
                consent="network",
                visibility="network",
            ),
        )
        for word in ("padlocks", "envelopes"):
            with self.subTest(word=word):
                page = self.client_for(self.outsider).get(self.archive_url("search") + f"?q={word}")
                self.assertContains(page, "Nothing you may read holds these words.")
        own = self.client_for(self.member).get(self.archive_url("search") + "?q=padlocks")
        self.assertContains(own, "<mark>padlocks</mark>")

    def test_markup_in_a_text_is_shown_as_text(self) -> None:
        actions.record_testimony(
            self.member,
            network=self.network,
            organization=self.alpha,
            testimony=actions.TestimonyFields(
                title="<b>Strike</b>",
                speaker="Heron",
                language="en",
                text="<script>alert(1)</script> strike at the port",
                consent="network",
                visibility="network",
            ),
        )
        page = self.client_for(self.member).get(self.archive_url("search") + "?q=strike")
        self.assertContains(page, "&lt;b&gt;<mark>Strike</mark>&lt;/b&gt;")
        self.assertNotContains(page, "<script>alert")


class RatesAndMapPageTests(ArchivePagesTestCase):
    def test_a_member_records_a_rate(self) -> None:
        response = self.client_for(self.outsider).post(
            self.archive_url("rates"),
            {
                "on": "2026-03-01",
                "amount": "1",
                "currency": "eur",
                "common": "1.08",
                "common_currency": "USD",
            },
            follow=True,
        )
        self.assertEqual(response.redirect_chain, [(self.archive_url("rates"), 302)])
        self.assertContains(response, "Rate saved.")
        self.assertNotContains(response, "No rate recorded yet.")
        rate = Rate.objects.get()
        self.assertEqual(
            (rate.on, rate.currency, rate.amount, rate.common_currency, rate.common),
            (date(2026, 3, 1), "EUR", 100, "USD", 108),
        )

    def test_a_rate_with_too_many_decimals_is_refused_on_its_field(self) -> None:
        response = self.client_for(self.member).post(
            self.archive_url("rates"),
            {
                "on": "2026-03-01",
                "amount": "1",
                "currency": "EUR",
                "common": "1.085",
                "common_currency": "USD",
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("common", response.context["form"].errors)
        self.assertFalse(Rate.objects.exists())

    def test_the_map_draws_the_group_named_in_the_archive(self) -> None:
        page = self.client_for(self.outsider).get(self.archive_url("map"))
        body = page.content.decode()
        self.assertIn("<svg", body)
        svg = body[body.index("<svg") : body.index("</svg>")]
        self.assertIn("Corvane Logistics GmbH", svg)
        self.assertIn("Alpha Union", svg)
        self.assertIn(reverse("archive:group", args=[self.corvane.pk]), svg)


class GuardTests(ArchivePagesTestCase):
    """What stays with the organization that recorded it, in the corners of the pages."""

    def record(self, text: str, *, visibility: str = "network") -> SavedTestimony:
        return actions.record_testimony(
            self.member,
            network=self.network,
            organization=self.alpha,
            testimony=actions.TestimonyFields(
                title="Gate",
                speaker="Wren",
                language="en",
                text=text,
                consent="public",
                visibility=visibility,
            ),
        )

    def test_stray_or_nested_brackets_are_refused_not_half_shared(self) -> None:
        before = SavedTestimony.objects.count()
        for text in (
            "Start [[outer [[inner]] tail]] end.",
            "It ]] was [[ him.",
            "Only [[opened.",
        ):
            with self.subTest(text=text), self.assertRaises(ValidationError):
                self.record(text)
        self.assertEqual(SavedTestimony.objects.count(), before)

    def test_a_recording_with_redactions_is_heard_by_its_organization_only(self) -> None:
        from django.core.files.base import ContentFile

        found = self.record("The gate was locked by [[the owner's cousin]].")
        found.audio_ogg.save("gate.ogg", ContentFile(b"OggS" + b"\0" * 60), save=True)
        url = reverse("archive:testimony-audio", args=[found.pk, "ogg"])
        self.assertEqual(self.client_for(self.outsider).get(url).status_code, 404)
        self.assertNotContains(
            self.client_for(self.outsider).get(reverse("archive:testimony", args=[found.pk])),
            "<audio",
        )
        mine = self.client_for(self.member).get(url)
        self.assertEqual(mine.status_code, 200)
        self.assertEqual(mine["Cache-Control"], "private, max-age=3600")
        found.audio_ogg.delete(save=False)

    def test_a_reader_from_another_network_does_not_see_which_names_are_followed(self) -> None:
        found = self.record("Corvane Logistics GmbH runs the gate.", visibility="public")
        page = self.client_for(self.stranger).get(reverse("archive:testimony", args=[found.pk]))
        self.assertContains(page, "Corvane Logistics GmbH runs the gate.")
        self.assertNotContains(page, reverse("archive:entity", args=[self.corvane.pk]))
        ours = self.client_for(self.outsider).get(reverse("archive:testimony", args=[found.pk]))
        self.assertContains(ours, reverse("archive:entity", args=[self.corvane.pk]))

    def test_only_the_network_reviews_a_translation(self) -> None:
        found = self.record("The gate opens at six.", visibility="public")
        translation = actions.save_translation(
            self.member, item=found, language="pt", title="Portão", text="O portão abre às seis."
        )
        with self.assertRaises(ValidationError):
            actions.review_translation(self.stranger, translation)
        actions.review_translation(self.outsider, translation)
        translation.refresh_from_db()
        self.assertEqual(translation.review, "reviewed")

    def test_a_refused_translation_comes_back_with_what_was_written(self) -> None:
        found = self.record("The gate opens at six.")
        page = self.client_for(self.outsider).post(
            reverse("archive:translate", args=["testimony", found.pk]),
            {"language": "pt", "title": "Portão", "text": "O portão [[abre às seis."},
        )
        self.assertEqual(page.status_code, 400)
        self.assertContains(page, "O portão [[abre às seis.", status_code=400)
        self.assertContains(page, "Close every redaction", status_code=400)
        self.assertFalse(found.translations.exists())

    def test_its_organization_edits_a_testimony_and_no_one_else_does(self) -> None:
        found = self.record("Corvane Logistics GmbH locked the gate. The cousin did it.")
        url = reverse("archive:edit-testimony", args=[found.pk])
        self.assertEqual(self.client_for(self.outsider).get(url).status_code, 403)
        page = self.client_for(self.member).get(url)
        self.assertContains(page, "The cousin did it.")
        form = {
            "organization": self.alpha.pk,
            "title": "Gate",
            "speaker": "Wren",
            "language": "en",
            "text": "Corvane Logistics GmbH locked the gate. [[The cousin]] did it.",
            "consent": "public",
            "visibility": "network",
        }
        self.assertEqual(self.client_for(self.member).post(url, form).status_code, 302)
        theirs = self.client_for(self.outsider).get(reverse("archive:testimony", args=[found.pk]))
        self.assertNotContains(theirs, "cousin")
        self.assertContains(theirs, "[…] did it.")
        self.assertEqual(SavedTestimony.objects.filter(key=found.key).count(), 1)
        blank = self.client_for(self.member).post(url, {**form, "text": ""})
        self.assertContains(blank, "Write the testimony or upload a recording.")
