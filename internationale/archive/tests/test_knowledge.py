import io
import json
from datetime import date

from django.core.exceptions import ValidationError
from followthemoney import model

from internationale.archive import access, actions, ftm
from internationale.archive.models import Entity, Link, WageRecord
from internationale.archive.models import Testimony as SavedTestimony
from internationale.archive.tests.world import ArchiveTestCase

WAGES = (
    "key,employer,country,city,sector,job,pay,currency,period,hours,observed_on,visibility\n"
    "w1,corvane-de,DE,Hamburg,logistics,picker,14.50,EUR,hour,1,2026-03-01,network\n"
    "w2,corvane-tr,TR,Gaziantep,logistics,loader,22000,TRY,month,225,2026-03-01,private\n"
)


class ImportTests(ArchiveTestCase):
    def test_a_wage_csv_is_imported_and_a_second_import_updates_by_key(self) -> None:
        result = actions.import_csv(
            self.member, network=self.network, organization=self.alpha, kind="wages", text=WAGES
        )
        self.assertEqual((result.created, result.updated), (2, 0))
        picker = WageRecord.objects.get(key="w1")
        self.assertEqual((picker.pay, picker.currency, picker.hours), (1450, "EUR", 100))
        again = actions.import_csv(
            self.member,
            network=self.network,
            organization=self.alpha,
            kind="wages",
            text=WAGES.replace("14.50", "15.00"),
        )
        self.assertEqual((again.created, again.updated), (0, 2))
        self.assertEqual(WageRecord.objects.count(), 2)
        self.assertEqual(WageRecord.objects.get(key="w1").pay, 1500)

    def test_a_file_with_any_bad_row_writes_nothing_and_names_each_bad_line(self) -> None:
        bad = (
            WAGES
            + "w3,nobody,DE,,,picker,14.50,EUR,hour,1,2026-03-01,network\n"
            + "w4,corvane-de,XX,,,picker,14.505,EUR,hour,1,2026-03-01,network\n"
            + "w1,corvane-de,DE,,,picker,1,EUR,hour,1,2026-13-01,network\n"
        )
        with self.assertRaises(actions.ImportRefused) as refused:
            actions.import_csv(
                self.member, network=self.network, organization=self.alpha, kind="wages", text=bad
            )
        lines = [row.line for row in refused.exception.rows]
        self.assertEqual(lines, [4, 5, 6])
        self.assertIn("no entity with the key nobody", refused.exception.rows[0].reason)
        self.assertIn("twice", refused.exception.rows[2].reason)
        self.assertFalse(WageRecord.objects.exists())

    def test_missing_columns_are_named(self) -> None:
        with self.assertRaises(actions.ImportRefused) as refused:
            actions.import_csv(
                self.member,
                network=self.network,
                organization=self.alpha,
                kind="links",
                text="key,kind,source\nl1,owns,corvane-de\n",
            )
        self.assertIn("target", refused.exception.rows[0].reason)

    def test_entities_and_links_import_and_ownership_shares_are_exact(self) -> None:
        actions.import_csv(
            self.member,
            network=self.network,
            organization=self.alpha,
            kind="entities",
            text="key,name,schema,aliases,countries\nholding,Corvane Holding SE,Company,Corvane Group;CVH,LU\n",
        )
        actions.import_csv(
            self.member,
            network=self.network,
            organization=self.alpha,
            kind="links",
            text="key,kind,source,target,share\nown1,owns,holding,corvane-de,51.25\n",
        )
        link = Link.objects.get()
        self.assertEqual((link.source.key, link.share), ("holding", 5125))
        self.assertEqual(Entity.objects.get(key="holding").aliases, ["Corvane Group", "CVH"])

    def test_only_members_of_the_organization_import_for_it(self) -> None:
        with self.assertRaises(ValidationError):
            actions.import_csv(
                self.outsider,
                network=self.network,
                organization=self.alpha,
                kind="wages",
                text=WAGES,
            )
        self.assertFalse(WageRecord.objects.exists())


class TestimonyTests(ArchiveTestCase):
    def record(self, **extra: str) -> SavedTestimony:
        fields = {
            "title": "Night shifts at the depot",
            "speaker": "Lantern",
            "language": "en",
            "text": "The manager [[Jo Smith, badge 4471]] told us to skip breaks.",
            "consent": "network",
            "visibility": "network",
        }
        fields.update(extra)
        return actions.record_testimony(
            self.member,
            network=self.network,
            organization=self.alpha,
            testimony=actions.TestimonyFields(**fields),
        )

    def test_redactions_are_cut_from_every_shared_copy(self) -> None:
        testimony = self.record()
        self.assertEqual(
            access.testimony_text(self.outsider, testimony),
            "The manager […] told us to skip breaks.",
        )
        self.assertNotIn("4471", access.testimony_text(None, testimony))
        self.assertEqual(
            access.testimony_text(self.translator, testimony),
            "The manager Jo Smith, badge 4471 told us to skip breaks.",
        )

    def test_visibility_never_goes_beyond_the_speaker_s_consent(self) -> None:
        with self.assertRaises(ValidationError):
            self.record(consent="organization", visibility="network")
        with self.assertRaises(ValidationError):
            self.record(consent="network", visibility="public")
        self.assertFalse(SavedTestimony.objects.exists())

    def test_an_unclosed_redaction_is_refused(self) -> None:
        with self.assertRaises(ValidationError):
            self.record(text="The manager [[Jo Smith told us.")

    def test_a_private_testimony_stays_with_its_organization(self) -> None:
        testimony = self.record(consent="organization", visibility="private")
        self.assertIn(testimony, access.testimonies(self.translator, self.network))
        self.assertNotIn(testimony, access.testimonies(self.outsider, self.network))
        self.assertNotIn(testimony, access.testimonies(self.stranger, self.network))


class FollowTheMoneyTests(ArchiveTestCase):
    def test_an_export_is_valid_followthemoney_and_imports_back_without_duplicates(self) -> None:
        holding = actions.save_entity(
            self.member,
            network=self.network,
            fields=actions.EntityFields(
                name="Corvane Holding SE",
                aliases=["Корвейн Холдинг"],
                countries=["LU"],
                identifiers={"leiCode": ["529900T8BM49AURSDO55"]},
                key="holding",
            ),
        )
        actions.record_link(
            self.member,
            network=self.network,
            organization=self.alpha,
            link=actions.LinkFields(kind="owns", source=holding, target=self.corvane, share="100"),
        )
        lines = [
            json.dumps(d)
            for d in ftm.export(self.network, iter(access.links(self.member, self.network)))
        ]
        for line in lines:
            proxy = model.get_proxy(json.loads(line), cleaned=False)
            self.assertTrue(proxy.id)
        schemata = {json.loads(line)["schema"] for line in lines}
        self.assertEqual(schemata, {"Company", "Ownership"})
        result = ftm.import_lines(
            self.member, network=self.network, organization=self.alpha, text="\n".join(lines)
        )
        self.assertEqual(result.created, 0)
        self.assertEqual(Entity.objects.count(), 3)
        self.assertEqual(Link.objects.count(), 1)
        self.assertEqual(
            Entity.objects.get(key="holding").identifiers, {"leiCode": ["529900T8BM49AURSDO55"]}
        )

    def test_a_bad_line_refuses_the_whole_file(self) -> None:
        text = "\n".join(
            [
                json.dumps(
                    {"id": "new-co", "schema": "Company", "properties": {"name": ["New Co"]}}
                ),
                "not json",
                json.dumps({"id": "x", "schema": "Vessel", "properties": {"name": ["Boat"]}}),
                json.dumps(
                    {
                        "id": "l",
                        "schema": "Ownership",
                        "properties": {"owner": ["new-co"], "asset": ["missing"]},
                    }
                ),
            ]
        )
        with self.assertRaises(actions.ImportRefused) as refused:
            ftm.import_lines(self.member, network=self.network, organization=self.alpha, text=text)
        self.assertEqual([r.line for r in refused.exception.rows], [2])  # JSON is checked first
        with self.assertRaises(actions.ImportRefused) as refused:
            ftm.import_lines(
                self.member,
                network=self.network,
                organization=self.alpha,
                text=text.replace("not json\n", ""),
            )
        self.assertEqual([r.line for r in refused.exception.rows], [2, 3])
        self.assertFalse(Entity.objects.filter(key="new-co").exists())


class WageTests(ArchiveTestCase):
    def test_hours_and_pay_are_exact_and_checked(self) -> None:
        record = actions.record_wage(
            self.member,
            network=self.network,
            organization=self.alpha,
            wage=actions.Wage(
                employer=self.corvane_tr,
                country="tr",
                job="loader",
                pay="22000",
                currency="TRY",
                period="month",
                hours="187,5",
                observed_on=date(2026, 3, 1),
            ),
        )
        self.assertEqual((record.pay, record.hours, record.country), (2_200_000, 18750, "TR"))
        with self.assertRaises(ValidationError):
            actions.record_wage(
                self.member,
                network=self.network,
                organization=self.alpha,
                wage=actions.Wage(
                    employer=self.corvane_tr,
                    country="TR",
                    job="loader",
                    pay="-1",
                    currency="TRY",
                    period="month",
                    hours="0",
                    observed_on=date(2026, 3, 1),
                ),
            )


class CommandLineImportTests(ArchiveTestCase):
    def run_archive(self, *args: str) -> str:
        import io

        from django.core.management import call_command

        out = io.StringIO()
        call_command("archive", *args, stdout=out)
        return out.getvalue()

    def test_import_then_export_from_the_command_line(self) -> None:
        import tempfile
        from pathlib import Path

        from django.core.management import CommandError

        with tempfile.TemporaryDirectory() as folder:
            wages = Path(folder) / "wages.csv"
            wages.write_text(WAGES, encoding="utf-8")
            common = ["--network", self.network.slug, "--organization", self.alpha.slug]
            out = self.run_archive(
                "import", str(wages), "--kind", "wages", *common, "--as", "Member A"
            )
            self.assertIn("2 new, 0 updated", out)
            out = self.run_archive(
                "import", str(wages), "--kind", "wages", *common, "--as", "Member A"
            )
            self.assertIn("0 new, 2 updated", out)
            with self.assertRaises(CommandError):
                self.run_archive(
                    "import", str(wages), "--kind", "wages", *common, "--as", "Outsider B"
                )
            bad = Path(folder) / "bad.csv"
            bad.write_text("key,name\n,No key\n", encoding="utf-8")
            with self.assertRaises(CommandError) as refused:
                self.run_archive(
                    "import", str(bad), "--kind", "entities", *common, "--as", "Member A"
                )
            self.assertIn("2", str(refused.exception))
        exported = self.run_archive("export", "--network", self.network.slug, "--as", "Outsider B")
        ids = {json.loads(line)["id"] for line in exported.splitlines()}
        self.assertEqual(ids, {"corvane-de", "corvane-tr"})
        with self.assertRaises(CommandError):
            self.run_archive("export", "--network", self.network.slug, "--as", "Stranger C")


class CommandLineResearchTests(ArchiveTestCase):
    """`archive search|suggest|judge|xref|rescan`: what the pages do, as CSV."""

    def run_archive(self, *args: str) -> list[dict[str, str]]:
        import csv
        import io

        from django.core.management import call_command

        out = io.StringIO()
        call_command("archive", *args, "--network", self.network.slug, stdout=out)
        text = out.getvalue()
        return list(csv.DictReader(io.StringIO(text))) if "," in text.splitlines()[0] else []

    def setUp(self) -> None:
        for organization, author, visibility, words in (
            (self.alpha, self.member, "private", "The Corvane Lojistik A.Ş. gate stays locked."),
            (self.beta, self.outsider, "network", "Corvane Lojistik A.Ş. pays late in Mersin."),
        ):
            actions.record_testimony(
                author,
                network=self.network,
                organization=organization,
                testimony=actions.TestimonyFields(
                    title=f"{visibility} account",
                    speaker="Gull",
                    language="en",
                    text=words,
                    consent="network",
                    visibility=visibility,
                ),
            )

    def test_search_writes_only_what_the_member_may_read(self) -> None:
        mine = self.run_archive("search", "corvane", "--as", "Member A")
        theirs = self.run_archive("search", "corvane", "--as", "Outsider B")
        self.assertEqual(
            {r["title"] for r in mine if r["kind"] == "testimony"},
            {"private account", "network account"},
        )
        self.assertEqual(
            {r["title"] for r in theirs if r["kind"] == "testimony"}, {"network account"}
        )
        self.assertNotIn("gate", " ".join(r["snippet"] for r in theirs))

    def test_suggest_judge_and_xref(self) -> None:
        suggested = self.run_archive("suggest", "--level", "group", "--as", "Coordinator A")
        self.assertEqual(
            {(r["first"], r["second"]) for r in suggested}, {("corvane-de", "corvane-tr")}
        )
        self.run_archive(
            "judge",
            "corvane-tr",
            "corvane-de",
            "--level",
            "group",
            "--verdict",
            "same",
            "--as",
            "Coordinator A",
        )
        self.assertEqual(self.run_archive("suggest", "--level", "group", "--as", "Member A"), [])
        groups = self.run_archive("xref", "--as", "Member A")
        self.assertEqual(len(groups), 1)
        self.assertEqual(groups[0]["records"], "corvane-de corvane-tr")
        self.assertEqual(
            set(groups[0]["organizations"].split("; ")), {self.alpha.slug, self.beta.slug}
        )
        self.assertEqual(self.run_archive("xref", "--as", "Outsider B"), [])

    def test_rescan_finds_the_mentions_again(self) -> None:
        from django.core.management import call_command

        from internationale.archive import models as archive

        archive.Mention.objects.all().delete()
        call_command("archive", "rescan", "--network", self.network.slug, stdout=io.StringIO())
        self.assertEqual(archive.Mention.objects.filter(entity=self.corvane_tr).count(), 2)
