"""`internationale treasury <subcommand>`: each subcommand, who acts, and clean failures."""

import io
import os
import subprocess
import sys
from datetime import date
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

from django.core.management import CommandError, call_command

from internationale.core.models import AuditEvent
from internationale.core.testing import production_environment
from internationale.treasury import actions
from internationale.treasury.models import (
    Account,
    Contribution,
    Draw,
    DrawState,
    Fund,
    Pledge,
    Proposal,
    ProposalKind,
    Transfer,
)
from internationale.treasury.tests.world import FundTestCase, add_member, frozen

ROOT = Path(__file__).resolve().parents[3]


def treasury(*args: str) -> tuple[str, str]:
    """Run the command; returns what it wrote to standard output and standard error."""
    out, err = io.StringIO(), io.StringIO()
    call_command("treasury", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


class CommandTestCase(FundTestCase):
    def setUp(self) -> None:
        self.tmp = TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)

    def csv_file(self, text: str) -> str:
        path = Path(self.tmp.name) / "contributions.csv"
        path.write_text(text, encoding="utf-8")
        return str(path)

    def in_french(self) -> Any:
        os.environ["INTERNATIONALE_CLI_LANGUAGE"] = "fr"
        self.addCleanup(os.environ.pop, "INTERNATIONALE_CLI_LANGUAGE")


@frozen
class ReadingTests(CommandTestCase):
    def test_verify_says_ok_with_counts_for_a_sound_ledger(self) -> None:
        self.contribute(10_000, key="a")
        self.approve(self.request(5_000), self.steward_b, self.steward_e)
        out, err = treasury("verify")
        self.assertEqual(out.strip(), "OK: 1 funds, 2 transfers, 3 accounts verified.")
        self.assertEqual(err, "")
        out, _err = treasury("verify", "--fund", self.fund.slug)
        self.assertIn("OK", out)

    def test_verify_prints_each_breach_and_fails(self) -> None:
        self.contribute(10_000, key="a")
        Account.objects.filter(code="held:alpha-union:USD").update(credits_posted=10_001)
        err = io.StringIO()
        with self.assertRaisesMessage(CommandError, "breaches found"):
            call_command("treasury", "verify", stdout=io.StringIO(), stderr=err)
        self.assertIn(
            "test-network: held:alpha-union:USD: stored totals differ from the replayed transfers",
            err.getvalue(),
        )

    def test_verify_names_an_unknown_fund(self) -> None:
        with self.assertRaisesMessage(CommandError, "no-such-fund"):
            treasury("verify", "--fund", "no-such-fund")

    def test_export_writes_beancount_or_csv(self) -> None:
        self.contribute(12_345, key="bank-1")
        out, _err = treasury("export", "--fund", self.fund.slug, "--format", "beancount")
        self.assertIn("Assets:Held:Alpha-Union:USD  123.45 USD", out)
        target = Path(self.tmp.name) / "ledger.csv"
        out, err = treasury(
            "export", "--fund", self.fund.slug, "--format", "csv", "--output", str(target)
        )
        self.assertEqual(out, "")
        self.assertIn(str(target), err)
        lines = target.read_text(encoding="utf-8").splitlines()
        self.assertEqual(len(lines), 2)
        self.assertIn("contribution:bank-1", lines[1])

    def test_status_shows_balances_late_pledges_the_queue_and_overdue_reports(self) -> None:
        actions.make_pledge(
            None,
            fund=self.fund,
            organization=self.beta,
            percent="10",
            period="month",
            currency="USD",
            declared_income="1000",
            starts_on=date(2025, 1, 1),
        )
        self.contribute(100_000, key="a")
        paid = self.approve(
            self.request(20_000, organization=self.epsilon), self.steward, self.steward_b
        )
        actions.pay_draw(self.steward, draw=paid)
        Draw.objects.filter(pk=paid.pk).update(report_due=date(2025, 3, 1))
        self.request(5_000, blind=True)
        out, _err = treasury("status", "--fund", self.fund.slug)
        self.assertIn("USD held 800.00, reserved 0.00, available 800.00", out)
        self.assertIn("Late pledges: 1", out)
        self.assertIn("Beta Collective: 200.00 USD short", out)
        self.assertIn("Requests in review: 1", out)
        self.assertIn("(blind review): 50.00 USD", out)
        self.assertNotIn("Alpha Union", out)
        self.assertIn(f"#{paid.pk} Epsilon Assembly: due 2025-03-01", out)


@frozen
class ActingTests(CommandTestCase):
    def test_open_draws_the_first_stewards_as_the_operator(self) -> None:
        add_member(self.gamma, "Steward C")
        out, _err = treasury(
            "open",
            "--network",
            self.other_network.slug,
            "--name",
            "Other Fund",
            "--currency",
            "BDT",
            "--custodian",
            self.gamma.slug,
            "--rule",
            "approvals_needed=1",
            "--rule",
            "public_summary=yes",
        )
        fund = Fund.objects.get(network=self.other_network)
        self.assertIn(fund.slug, out)
        self.assertEqual((fund.approvals_needed, fund.public_summary), (1, True))
        self.assertEqual([str(s.member) for s in actions.serving_stewards(fund)], ["Steward C"])
        self.assertEqual(
            AuditEvent.objects.filter(verb="fund.open").latest("id").actor_label, "system"
        )

    def test_a_refusal_is_translated_and_writes_nothing(self) -> None:
        self.in_french()
        with self.assertRaisesMessage(CommandError, "Ce champ est obligatoire"):
            treasury(
                "open",
                "--network",
                self.other_network.slug,
                "--name",
                "  ",
                "--currency",
                "BDT",
                "--custodian",
                self.gamma.slug,
            )
        self.assertFalse(Fund.objects.filter(network=self.other_network).exists())

    def test_acting_as_a_member_checks_their_rights(self) -> None:
        with self.assertRaisesMessage(CommandError, "serving stewards"):
            treasury(*self.contribution_args("k"), "--as", "Member A")
        with self.assertRaisesMessage(CommandError, "Nobody Here"):
            treasury(*self.contribution_args("k"), "--as", "Nobody Here")
        self.assertFalse(Transfer.objects.exists())

    def contribution_args(self, key: str, amount: str = "100.00") -> list[str]:
        return [
            "contribute",
            "--fund",
            self.fund.slug,
            "--key",
            key,
            "--organization",
            self.beta.slug,
            "--amount",
            amount,
            "--currency",
            "USD",
            "--received-on",
            "2025-03-09",
        ]

    def test_pledge_and_contribute_with_a_key_that_makes_retries_safe(self) -> None:
        treasury(
            "pledge",
            "--fund",
            self.fund.slug,
            "--organization",
            self.beta.slug,
            "--percent",
            "2.5",
            "--period",
            "quarter",
            "--currency",
            "USD",
            "--income",
            "12000",
            "--starts-on",
            "2025-01-01",
        )
        pledge = Pledge.objects.get()
        self.assertEqual((pledge.basis_points, pledge.per_period.minor), (250, 30_000))
        args = [*self.contribution_args("bank-7", "300.00"), "--pledge", str(pledge.pk)]
        first, _err = treasury(*args)
        again, _err = treasury(*args)
        self.assertEqual(first, again)
        self.assertEqual(Contribution.objects.get().pledge, pledge)
        with self.assertRaisesMessage(CommandError, "already used"):
            treasury(*self.contribution_args("bank-7", "301.00"))
        self.assertEqual(self.available().minor, 30_000)
        as_steward, _err = treasury(*self.contribution_args("bank-8"), "--as", "Steward B")
        self.assertIn("100.00 USD", as_steward)
        self.assertEqual(
            Contribution.objects.get(transfer__key="contribution:bank-8").recorded_by,
            self.steward_b,
        )

    def test_the_journey_of_a_draw(self) -> None:
        self.contribute(100_000, key="seed")
        treasury(
            "request",
            "--fund",
            self.fund.slug,
            "--organization",
            self.alpha.slug,
            "--kind",
            "strike",
            "--amount",
            "300",
            "--currency",
            "USD",
            "--needed-by",
            "2025-04-01",
            "--narrative",
            "Strike pay.",
        )
        draw = Draw.objects.get()
        self.assertEqual(draw.requested_by, self.coordinator)  # the system asks for them
        with self.assertRaisesMessage(CommandError, "1 to 5"):
            treasury("vote", "--draw", str(draw.pk), "--choice", "approve", "--as", "Steward B")
        with self.assertRaisesMessage(CommandError, "requesting organization"):
            treasury(
                "vote",
                "--draw",
                str(draw.pk),
                "--choice",
                "approve",
                "--strategy",
                "4",
                "--as",
                "Steward A",
            )
        for name in ("Steward B", "Steward E"):
            out, _err = treasury(
                "vote",
                "--draw",
                str(draw.pk),
                "--choice",
                "approve",
                "--strategy",
                "4",
                "--as",
                name,
            )
        self.assertIn("approved, money reserved", out)
        out, _err = treasury("pay", str(draw.pk), "--amount", "250", "--as", "Steward E")
        self.assertEqual(self.fresh(draw).paid_amount, 25_000)
        with self.assertRaisesMessage(CommandError, "receiving organization"):
            treasury(
                "report", str(draw.pk), "--text", "Used.", "--spent", "250", "--as", "Outsider B"
            )
        treasury(
            "report",
            str(draw.pk),
            "--text",
            "Strike pay for 20.",
            "--spent",
            "250",
            "--as",
            "Member A",
        )
        self.assertEqual(self.fresh(draw).reports.get().spent, 25_000)

    def test_release_a_reservation(self) -> None:
        self.contribute(100_000, key="seed")
        draw = self.approve(self.request(30_000), self.steward_b, self.steward_e)
        treasury("release", str(draw.pk), "--reason", "Covered by a union.", "--as", "Steward B")
        self.assertEqual(self.fresh(draw).state, DrawState.RELEASED)
        self.assertEqual(self.available().minor, 100_000)

    def test_handover_and_votes_on_proposals(self) -> None:
        add_member(self.alpha, "Second Steward A")
        out, _err = treasury("handover", "--fund", self.fund.slug, "--as", "Steward A")
        proposal = Proposal.objects.get(kind=ProposalKind.HANDOVER)
        self.assertIn(f"Proposal {proposal.pk}", out)
        out, _err = treasury(
            "vote", "--proposal", str(proposal.pk), "--choice", "approve", "--as", "Steward B"
        )
        self.assertIn("adopted", out)

    def test_person_acts_need_as(self) -> None:
        with self.assertRaises(CommandError):
            treasury("pay", "1")


@frozen
class ImportTests(CommandTestCase):
    HEADER = "key,organization,amount,currency,received_on,pledge,note\n"

    def rows(self, count: int, *, start: int = 1) -> str:
        return "".join(
            f"k{n},{'beta-collective' if n % 2 else 'epsilon-assembly'},{n}.{n % 100:02d},"
            f"{'USD' if n % 3 else 'BRL'},2025-03-0{1 + n % 9},,row {n}\n"
            for n in range(start, start + count)
        )

    def test_it_books_a_file_in_chunks_and_a_retry_books_each_key_once(self) -> None:
        path = self.csv_file(self.HEADER + self.rows(450))
        out, _err = treasury("import", "--fund", self.fund.slug, path)
        self.assertIn("450 contributions read, 450 booked, 0 already booked.", out)
        out, _err = treasury("import", "--fund", self.fund.slug, path)
        self.assertIn("450 contributions read, 0 booked, 450 already booked.", out)
        self.assertEqual(Contribution.objects.count(), 450)
        expected = sum(n * 100 + n % 100 for n in range(1, 451) if n % 3)
        self.assertEqual(Account.objects.get(kind="held", currency="USD").credits_posted, expected)
        self.assertEqual(Contribution.objects.get(transfer__key="contribution:k7").note, "row 7")

    def test_a_file_with_bad_rows_books_nothing_and_names_each_line(self) -> None:
        text = (
            self.HEADER
            + self.rows(300)
            + "bad key,beta-collective,1.00,USD,2025-03-01,,\n"
            + "k900,gamma-front,1.00,USD,2025-03-01,,\n"
            + "k901,beta-collective,1.001,USD,2025-03-01,,\n"
            + "k902,beta-collective,1.00,USD,yesterday,,\n"
            + "k1,beta-collective,1.00,USD,2025-03-01,,\n"
        )
        err = io.StringIO()
        with self.assertRaises(CommandError) as caught:
            call_command(
                "treasury", "import", "--fund", self.fund.slug, self.csv_file(text), stderr=err
            )
        message = str(caught.exception)
        self.assertIn("5 bad rows", message)
        for line in ("line 302", "line 303", "line 304", "line 305", "line 306"):
            self.assertIn(line, message)
        self.assertIn("also on line 2", message)
        self.assertFalse(Transfer.objects.exists())

    def test_a_conflicting_key_stops_at_its_chunk(self) -> None:
        self.contribute(1, key="k250")  # booked before with another amount
        path = self.csv_file(self.HEADER + self.rows(450))
        with self.assertRaisesMessage(CommandError, "Lines 202 to 401 were not booked"):
            treasury("import", "--fund", self.fund.slug, path)
        self.assertEqual(Contribution.objects.count(), 201)

    def test_a_missing_column_is_named(self) -> None:
        path = self.csv_file("key,organization,amount\nk1,beta-collective,1\n")
        with self.assertRaisesMessage(CommandError, "currency, received_on"):
            treasury("import", "--fund", self.fund.slug, path)


def test_a_missing_as_or_subcommand_exits_with_usage() -> None:
    env = production_environment(INTERNATIONALE_TESTING="true")
    for args, expected in ((["pay", "1"], "--as"), ([], "SUBCOMMAND")):
        result = subprocess.run(
            [sys.executable, "-m", "internationale.cli", "treasury", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 2, result.stderr
        assert expected in result.stderr
