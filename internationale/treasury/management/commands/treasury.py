"""`internationale treasury <subcommand>`: the fund from the command line.

Who acts: the server's operator, who can already change anything in the database, acts as
the system (an actor of None, recorded as "system" in the audit log) for the acts the
treasury lets the system do: opening a fund, pledging, recording money (`contribute`,
`import`) and asking for money. The acts that are a person's decision name that person
with `--as "Display Name"` and are checked as theirs: voting, paying out, releasing,
reporting and proposing a handover. `--as` may also be given to the others, which are then
checked as that member's acts too.
"""

import csv
from argparse import ArgumentParser, ArgumentTypeError
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, TextIO, cast

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from internationale.core.commands import LocalizedCommand
from internationale.core.money import Money, MoneyError, is_currency
from internationale.network.commands import member_named, network_named, organization_named
from internationale.network.models import Member, Organization
from internationale.treasury import actions, export, reports, verify
from internationale.treasury.models import (
    Account,
    Draw,
    DrawKind,
    Fund,
    Period,
    Pledge,
    Proposal,
    Transfer,
)

CHUNK = 200
IMPORT_COLUMNS = ("key", "organization", "amount", "currency", "received_on")
IMPORT_OPTIONAL = ("pledge", "note")
PERSON_ACTS = "vote, pay, release, report and handover"


class Command(LocalizedCommand):
    help = (
        "The solidarity fund from the command line: verify, export, status, open, pledge, "
        "contribute, import, request, vote, pay, release, report, handover. Without --as "
        "the operator acts as the system; "
        f"{PERSON_ACTS} need --as with a member's display name."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        assert isinstance(parser, CommandParser)
        commands = parser.add_subparsers(dest="subcommand", required=True, metavar="SUBCOMMAND")

        def sub(name: str, text: str, *, person: bool = False) -> ArgumentParser:
            command = commands.add_parser(name, help=text, description=text)
            command.add_argument(
                "--as",
                dest="as_member",
                required=person,
                metavar="DISPLAY_NAME",
                help="the member who acts"
                + (" (required)" if person else " (default: the operator, as the system)"),
            )
            return command

        def fund_option(command: ArgumentParser, *, required: bool = True) -> None:
            command.add_argument("--fund", required=required, help="the fund's short name")

        command = sub("verify", "Re-check every invariant of the ledger and its audit trail.")
        fund_option(command, required=False)

        command = sub("export", "Write the ledger as Beancount or CSV.")
        fund_option(command)
        command.add_argument("--format", choices=("beancount", "csv"), required=True)
        command.add_argument("--output", type=Path, help="file to write (default: standard output)")

        command = sub("status", "Balances, late pledges, the queue and overdue reports.")
        fund_option(command)

        command = sub("open", "Open a network's fund; its first stewards are drawn in rotation.")
        command.add_argument("--network", required=True, help="the network's short name")
        command.add_argument("--name", required=True)
        command.add_argument("--currency", required=True, help="base currency, e.g. USD")
        command.add_argument(
            "--custodian", required=True, help="short name of the organization holding it"
        )
        command.add_argument(
            "--steward",
            action="append",
            default=[],
            dest="stewards",
            metavar="DISPLAY_NAME",
            help="a first steward (repeat; default: drawn in rotation)",
        )
        command.add_argument(
            "--rule", action="append", default=[], metavar="NAME=VALUE", help="a rule (repeat)"
        )

        command = sub("pledge", "Pledge a share of an organization's income per period.")
        fund_option(command)
        command.add_argument("--organization", required=True)
        command.add_argument("--percent", required=True, help="e.g. 2.5")
        command.add_argument("--period", choices=Period.values, required=True)
        command.add_argument("--currency", required=True)
        command.add_argument("--income", required=True, help="declared income per period")
        command.add_argument("--starts-on", type=_date, required=True, help="YYYY-MM-DD")

        command = sub("contribute", "Record money received (a retry with the same key is safe).")
        fund_option(command)
        command.add_argument("--key", required=True, help="idempotency key, e.g. the bank's id")
        command.add_argument("--organization", required=True)
        command.add_argument("--amount", required=True, help="decimal amount, e.g. 12.50")
        command.add_argument("--currency", required=True)
        command.add_argument("--received-on", type=_date, help="YYYY-MM-DD (default: today)")
        command.add_argument("--pledge", type=int, help="the pledge's number")
        command.add_argument("--note", default="")

        command = sub(
            "import",
            "Record the contributions of a CSV file with the columns "
            "key,organization,amount,currency,received_on[,pledge,note]. The whole file is "
            f"checked first; it is booked {CHUNK} rows per transaction, and running it again "
            "books each key once.",
        )
        fund_option(command)
        command.add_argument("file", type=Path)

        command = sub("request", "Ask the fund for money for an organization.")
        fund_option(command)
        command.add_argument("--organization", required=True)
        command.add_argument("--kind", choices=DrawKind.values, required=True)
        command.add_argument("--amount", required=True)
        command.add_argument("--currency", required=True)
        command.add_argument("--means", default="0", help="the organization's own money for it")
        command.add_argument("--needed-by", type=_date, required=True, help="YYYY-MM-DD")
        command.add_argument("--narrative", required=True)
        command.add_argument("--evidence", default="")
        command.add_argument("--blind", action="store_true")
        command.add_argument("--emergency", action="store_true")

        command = sub("vote", "Vote on a draw or on a proposal, as a steward.", person=True)
        target = command.add_mutually_exclusive_group(required=True)
        target.add_argument("--draw", type=int)
        target.add_argument("--proposal", type=int)
        command.add_argument("--choice", choices=("approve", "object"), required=True)
        command.add_argument("--strategy", type=int, help="a draw's strategic importance, 1-5")
        command.add_argument("--reason", default="")

        command = sub("pay", "Pay out a reserved draw, in full or in part.", person=True)
        command.add_argument("draw", type=int)
        command.add_argument("--amount", help="a part of the reservation (default: all of it)")

        command = sub("release", "Release a draw's reservation without paying.", person=True)
        command.add_argument("draw", type=int)
        command.add_argument("--reason", required=True)

        command = sub("report", "Report on how a paid draw was used.", person=True)
        command.add_argument("draw", type=int)
        command.add_argument("--text", required=True)
        command.add_argument("--spent", required=True)

        command = sub("handover", "Propose the handover to the next stewards.", person=True)
        fund_option(command)

    def run(self, *args: Any, **options: Any) -> None:
        name = options["subcommand"]
        actor = member_named(options["as_member"]) if options.get("as_member") else None
        getattr(self, f"do_{name}")(actor, options)

    # Reading ----------------------------------------------------------------------------------

    def do_verify(self, actor: Member | None, options: dict[str, Any]) -> None:
        if options["fund"]:
            fund = _fund(options["fund"])
            results = {fund.slug: verify.verify_fund(fund)}
            funds = Fund.objects.filter(pk=fund.pk)
        else:
            results = verify.verify_all()
            funds = Fund.objects.all()
        breaches = [
            f"{slug}: {problem}" if slug else problem
            for slug, problems in results.items()
            for problem in problems
        ]
        for line in breaches:
            self.stderr.write(line)
        if breaches:
            raise CommandError(_("%(count)d breaches found.") % {"count": len(breaches)})
        counts = {
            "funds": funds.count(),
            "transfers": Transfer.objects.filter(fund__in=funds).count(),
            "accounts": Account.objects.filter(fund__in=funds).count(),
        }
        self.stdout.write(
            _("OK: %(funds)d funds, %(transfers)d transfers, %(accounts)d accounts verified.")
            % counts
        )

    def do_export(self, actor: Member | None, options: dict[str, Any]) -> None:
        fund = _fund(options["fund"])
        write = export.write_beancount if options["format"] == "beancount" else export.write_csv
        output: Path | None = options["output"]
        if output is None:
            write(fund, cast(TextIO, _Text(self.stdout)))
            return
        with output.open("w", encoding="utf-8", newline="") as out:
            write(fund, out)
        self.stderr.write(_("Wrote %(path)s.") % {"path": output})

    def do_status(self, actor: Member | None, options: dict[str, Any]) -> None:
        fund = _fund(options["fund"])
        today = timezone.localdate()
        out = self.stdout
        out.write(f"{fund.name} ({fund.slug})")
        out.write(_("Balances:"))
        for balance in reports.balances(fund):
            out.write(
                "  "
                + _("%(currency)s held %(held)s, reserved %(reserved)s, available %(available)s")
                % {
                    "currency": balance.currency,
                    "held": balance.held.decimal,
                    "reserved": balance.reserved.decimal,
                    "available": balance.available.decimal,
                }
            )
        late = [s for s in reports.pledge_status(fund, today=today) if s.late]
        out.write(_("Late pledges: %(count)d") % {"count": len(late)})
        for status in late:
            out.write(
                f"  {status.pledge.organization.name}: "
                + _("%(shortfall)s short") % {"shortfall": status.shortfall}
            )
        queue = reports.queue(fund, today=today)
        out.write(_("Requests in review: %(count)d") % {"count": len(queue)})
        for draw, score in queue:
            # The operator reads as the system, but blind review still keeps the name back.
            who = draw.organization.name if not draw.blind else _("(blind review)")
            out.write(f"  #{draw.pk} {who}: {draw.money} ({score.computation})")
        overdue = [s for s in reports.report_status(fund, today=today) if s.overdue]
        out.write(_("Overdue reports: %(count)d") % {"count": len(overdue)})
        for report in overdue:
            out.write(
                f"  #{report.draw.pk} {report.draw.organization.name}: "
                + _("due %(date)s") % {"date": report.draw.report_due}
            )

    # Acting as the operator or a member -------------------------------------------------------

    def do_open(self, actor: Member | None, options: dict[str, Any]) -> None:
        network = network_named(options["network"])
        fund = actions.open_fund(
            actor,
            network=network,
            name=options["name"],
            currency=options["currency"],
            custodian=organization_named(options["custodian"]),
            stewards=[member_named(name) for name in options["stewards"]],
            rules=dict(_rule(text) for text in options["rule"]),
        )
        self.stdout.write(_("Opened the fund %(slug)s.") % {"slug": fund.slug})

    def do_pledge(self, actor: Member | None, options: dict[str, Any]) -> None:
        pledge = actions.make_pledge(
            actor,
            fund=_fund(options["fund"]),
            organization=organization_named(options["organization"]),
            percent=options["percent"],
            period=options["period"],
            currency=options["currency"],
            declared_income=options["income"],
            starts_on=options["starts_on"],
        )
        self.stdout.write(_("Pledge %(id)d recorded.") % {"id": pledge.pk})

    def do_contribute(self, actor: Member | None, options: dict[str, Any]) -> None:
        fund = _fund(options["fund"])
        contribution = actions.record_contribution(
            actor,
            fund=fund,
            organization=organization_named(options["organization"]),
            amount=options["amount"],
            currency=options["currency"],
            received_on=options["received_on"] or timezone.localdate(),
            key=options["key"],
            pledge=_pledge(fund, options["pledge"]),
            note=options["note"],
        )
        self.stdout.write(
            _("Contribution %(id)d: %(money)s.")
            % {"id": contribution.pk, "money": contribution.transfer.money}
        )

    def do_import(self, actor: Member | None, options: dict[str, Any]) -> None:
        fund = _fund(options["fund"])
        receipts = _read_receipts(fund, options["file"])
        booked = 0
        for start in range(0, len(receipts), CHUNK):
            chunk = receipts[start : start + CHUNK]
            try:
                recorded = actions.record_contributions(
                    actor, fund=fund, receipts=[row.receipt for row in chunk]
                )
            except ValidationError as error:
                raise ValidationError(
                    _("Lines %(first)d to %(last)d were not booked (those before were): %(error)s")
                    % {
                        "first": chunk[0].line,
                        "last": chunk[-1].line,
                        "error": " ".join(error.messages),
                    }
                ) from None
            booked += sum(not r.retried for r in recorded)
        self.stdout.write(
            _("%(rows)d contributions read, %(booked)d booked, %(known)d already booked.")
            % {"rows": len(receipts), "booked": booked, "known": len(receipts) - booked}
        )

    def do_request(self, actor: Member | None, options: dict[str, Any]) -> None:
        draw = actions.request_draw(
            actor,
            fund=_fund(options["fund"]),
            organization=organization_named(options["organization"]),
            kind=options["kind"],
            amount=options["amount"],
            currency=options["currency"],
            means=options["means"],
            needed_by=options["needed_by"],
            narrative=options["narrative"],
            evidence=options["evidence"],
            blind=options["blind"],
            emergency=options["emergency"],
        )
        self.stdout.write(_("Request %(id)d is in review.") % {"id": draw.pk})

    def do_vote(self, actor: Member | None, options: dict[str, Any]) -> None:
        assert actor is not None  # --as is required
        if options["proposal"] is not None:
            proposal = _proposal(options["proposal"])
            proposal = actions.vote_on_proposal(
                actor, proposal=proposal, choice=options["choice"], reason=options["reason"]
            )
            self.stdout.write(
                _("Proposal %(id)d: %(state)s.")
                % {"id": proposal.pk, "state": proposal.get_state_display()}
            )
            return
        if options["strategy"] is None:
            raise ValidationError({"strategy": _("Rate strategic importance from 1 to 5.")})
        draw = actions.vote_on_draw(
            actor,
            draw=_draw(options["draw"]),
            choice=options["choice"],
            strategy=options["strategy"],
            reason=options["reason"],
        )
        self.stdout.write(_draw_line(draw))

    def do_pay(self, actor: Member | None, options: dict[str, Any]) -> None:
        assert actor is not None
        draw = actions.pay_draw(actor, draw=_draw(options["draw"]), amount=options["amount"])
        self.stdout.write(_draw_line(draw))

    def do_release(self, actor: Member | None, options: dict[str, Any]) -> None:
        assert actor is not None
        draw = actions.release_draw(actor, draw=_draw(options["draw"]), reason=options["reason"])
        self.stdout.write(_draw_line(draw))

    def do_report(self, actor: Member | None, options: dict[str, Any]) -> None:
        assert actor is not None
        report = actions.report_on_draw(
            actor, draw=_draw(options["draw"]), text=options["text"], spent=options["spent"]
        )
        self.stdout.write(_("Report %(id)d recorded.") % {"id": report.pk})

    def do_handover(self, actor: Member | None, options: dict[str, Any]) -> None:
        assert actor is not None
        proposal = actions.propose_handover(actor, fund=_fund(options["fund"]))
        assert proposal.term is not None
        names = ", ".join(str(seat.member) for seat in proposal.term.seats.select_related("member"))
        self.stdout.write(
            _("Proposal %(id)d: hand over to %(names)s.") % {"id": proposal.pk, "names": names}
        )


class _Text:
    """The command's output as the file-like the exporters write to, without the newline
    that OutputWrapper.write adds to each call."""

    def __init__(self, out: Any) -> None:
        self.out = out

    def write(self, text: str) -> int:
        self.out.write(text, ending="")
        return len(text)


# Looking things up by the names people type -------------------------------------------------


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ArgumentTypeError(_("Enter a date as YYYY-MM-DD.")) from None


def _fund(slug: str) -> Fund:
    fund = Fund.objects.filter(slug=slug).select_related("network").first()
    if fund is None:
        raise ValidationError(_("There is no fund with the short name %(slug)s.") % {"slug": slug})
    return fund


def _pledge(fund: Fund, number: int | None) -> Pledge | None:
    if number is None:
        return None
    pledge = fund.pledges.filter(pk=number).first()
    if pledge is None:
        raise ValidationError({"pledge": _("There is no pledge %(id)d.") % {"id": number}})
    return pledge


def _draw(number: int) -> Draw:
    draw = Draw.objects.filter(pk=number).select_related("fund", "organization").first()
    if draw is None:
        raise ValidationError(_("There is no request %(id)d.") % {"id": number})
    return draw


def _proposal(number: int) -> Proposal:
    proposal = Proposal.objects.filter(pk=number).select_related("fund").first()
    if proposal is None:
        raise ValidationError(_("There is no proposal %(id)d.") % {"id": number})
    return proposal


def _draw_line(draw: Draw) -> str:
    return _("Request %(id)d: %(state)s.") % {"id": draw.pk, "state": draw.get_state_display()}


def _rule(text: str) -> tuple[str, Any]:
    """NAME=VALUE, the value a whole number, yes/no for public_summary; the emergency limit
    in minor units."""
    name, _sep, value = text.partition("=")
    name, value = name.strip(), value.strip()
    if value.lower() in ("yes", "true", "no", "false"):
        return name, value.lower() in ("yes", "true")
    if value.isdigit():
        return name, int(value)
    raise ValidationError(
        {name or "rule": _("Give a rule as NAME=VALUE with a whole number or yes or no.")}
    )


# The import ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Row:
    line: int
    receipt: actions.Receipt


def _read_receipts(fund: Fund, path: Path) -> list[_Row]:
    """Every row of the file as a receipt, or a ValidationError listing every bad row by
    its line number: nothing is booked from a file with a bad row."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as file:
            return _receipts(fund, file)
    except OSError as error:
        raise ValidationError(
            _("Cannot read %(path)s: %(error)s") % {"path": path, "error": error.strerror}
        ) from None


def _receipts(fund: Fund, file: TextIO) -> list[_Row]:
    reader = csv.DictReader(file)
    columns = [c.strip() for c in reader.fieldnames or []]
    missing = [c for c in IMPORT_COLUMNS if c not in columns]
    if missing:
        raise ValidationError(
            _("The file lacks the columns: %(columns)s.") % {"columns": ", ".join(missing)}
        )
    organizations = {o.slug: o for o in fund.network.organizations.all()}
    pledges = {p.pk: p for p in fund.pledges.all()}
    rows: list[_Row] = []
    errors: list[str] = []
    seen: dict[str, int] = {}
    for raw in reader:
        line = reader.line_num
        row = {(k or "").strip(): (v or "").strip() for k, v in raw.items() if k is not None}
        try:
            receipt = _receipt(row, organizations=organizations, pledges=pledges)
        except ValidationError as error:
            errors.append(
                _("line %(line)d: %(error)s") % {"line": line, "error": " ".join(error.messages)}
            )
            continue
        if receipt.key in seen:
            errors.append(
                _("line %(line)d: the key %(key)s is also on line %(other)d.")
                % {"line": line, "key": receipt.key, "other": seen[receipt.key]}
            )
            continue
        seen[receipt.key] = line
        rows.append(_Row(line=line, receipt=receipt))
    if errors:
        shown = errors[:50]
        if len(errors) > len(shown):
            shown.append(_("… and %(count)d more.") % {"count": len(errors) - len(shown)})
        raise ValidationError(
            [_("Nothing was booked: %(count)d bad rows.") % {"count": len(errors)}, *shown]
        )
    if not rows:
        raise ValidationError(_("The file holds no contributions."))
    return rows


def _receipt(
    row: dict[str, str], *, organizations: dict[str, Organization], pledges: dict[int, Pledge]
) -> actions.Receipt:
    key = row["key"]
    if not key or len(key) > actions.KEY_LIMIT or any(c.isspace() for c in key):
        raise ValidationError(_("Give an idempotency key of 1 to 80 characters without spaces."))
    organization = organizations.get(row["organization"])
    if organization is None:
        raise ValidationError(_("This organization is not in the fund's network."))
    currency = row["currency"].upper()
    if not is_currency(currency):
        raise ValidationError(_("Choose a currency by its ISO 4217 code, such as USD."))
    try:
        amount = Money.parse(row["amount"], currency)
    except MoneyError:
        raise ValidationError(
            _("Enter an amount in %(currency)s with no more decimals than it has.")
            % {"currency": currency}
        ) from None
    if amount.minor <= 0:
        raise ValidationError(_("The amount must be more than zero."))
    try:
        received_on = date.fromisoformat(row["received_on"])
    except ValueError:
        raise ValidationError(_("Enter a date as YYYY-MM-DD.")) from None
    pledge = None
    if row.get("pledge"):
        pledge = pledges.get(int(row["pledge"])) if row["pledge"].isdigit() else None
        if (
            pledge is None
            or pledge.organization_id != organization.pk
            or (pledge.currency != currency)
        ):
            raise ValidationError(_("Choose a pledge of this organization in this currency."))
    note = row.get("note", "")
    if len(note) > 300 or any(not c.isprintable() for c in note):
        raise ValidationError(_("The note is too long or holds characters that cannot be shown."))
    return actions.Receipt(
        organization=organization,
        amount=amount,
        received_on=received_on,
        key=key,
        pledge=pledge,
        note=note,
    )
