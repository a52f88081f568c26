"""`internationale archive <subcommand>`: corporate-name matching from the command line.

`compare PAIRS.csv` reads a header `name1,name2` (optionally `country1,country2`; any other
columns are passed through) and writes the same rows with `score` (0 to 1, four decimals)
and `match` (`true` or `false`). `cluster NAMES.csv` reads `id,name` (optionally `country`)
and writes `id,cluster`. Both take `--level entity` (the same legal entity) or `--level
group` (the same corporate group), read UTF-8 with or without a byte-order mark ('-' reads
standard input), and write CSV to standard output. The rules are in
`internationale.archive.matching`.

`import FILE --kind entities|wages|links|ftm` brings a CSV file (see
`archive.actions.IMPORT_COLUMNS`) or FollowTheMoney JSON lines into a network's archive for an
organization, as the member named by `--as`: every row is checked first and nothing is
written if any is bad. `export` writes the network's entities and the links that member may
read as FollowTheMoney JSON lines.

`search QUERY`, `suggest --level`, `judge FIRST SECOND --level --verdict` (entities by key),
and `xref` do what the archive's pages do, as the member named by `--as`, and write CSV.
`rescan` indexes every text of a network again and finds its mentions anew (after an
upgrade, or a change to the rules of mention detection).
"""

import csv
import html
import io
import json
import sys
from argparse import ArgumentParser
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import CommandParser
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from internationale.archive import (
    access,
    actions,
    ftm,
    indexing,
    matching,
    resolution,
    search,
    xref,
)
from internationale.archive.models import Verdict
from internationale.core.commands import LocalizedCommand
from internationale.network.commands import member_named, network_named, organization_named


class Command(LocalizedCommand):
    help = "Corporate-name matching: compare pairs of names, or cluster a list of names."

    def add_arguments(self, parser: ArgumentParser) -> None:
        assert isinstance(parser, CommandParser)
        commands = parser.add_subparsers(dest="subcommand", required=True, metavar="SUBCOMMAND")

        def sub(name: str, text: str, source: str) -> None:
            command = commands.add_parser(name, help=text, description=text)
            command.add_argument("csv", type=Path, metavar=source, help="a CSV file ('-': stdin)")
            command.add_argument(
                "--level",
                choices=matching.LEVELS,
                required=True,
                help="entity: the same legal entity; group: the same corporate group",
            )

        sub(
            "compare",
            "Score pairs of names (columns name1,name2 and optionally country1,country2); "
            "writes the rows with score and match added.",
            "PAIRS.csv",
        )
        sub(
            "cluster",
            "Cluster names (columns id,name and optionally country); writes id,cluster.",
            "NAMES.csv",
        )
        command = commands.add_parser(
            "import",
            help="Import a CSV or FollowTheMoney file into a network's archive (all or nothing).",
        )
        command.add_argument("file", type=Path, help="the file ('-': stdin)")
        command.add_argument("--kind", choices=("entities", "wages", "links", "ftm"), required=True)
        command.add_argument("--network", required=True, help="the network's short name")
        command.add_argument("--organization", required=True, help="the organization's short name")
        command.add_argument("--as", dest="as_member", required=True, metavar="DISPLAY_NAME")
        command = commands.add_parser(
            "export", help="Write a network's entities and links as FollowTheMoney JSON lines."
        )
        command.add_argument("--network", required=True)
        command.add_argument("--as", dest="as_member", required=True, metavar="DISPLAY_NAME")
        command = commands.add_parser(
            "search", help="Search what a member may read in a network's archive (CSV out)."
        )
        command.add_argument("query")
        command.add_argument("--network", required=True)
        command.add_argument("--as", dest="as_member", required=True, metavar="DISPLAY_NAME")
        command.add_argument("--kind", choices=search.KINDS, default="")
        command.add_argument("--language", default="")
        command = commands.add_parser(
            "suggest", help="List suggested matches no one has judged yet (CSV out)."
        )
        command.add_argument("--network", required=True)
        command.add_argument("--level", choices=matching.LEVELS, required=True)
        command.add_argument("--as", dest="as_member", required=True, metavar="DISPLAY_NAME")
        command = commands.add_parser(
            "judge", help="Judge two entity records (by key): same, different or unsure."
        )
        command.add_argument("first")
        command.add_argument("second")
        command.add_argument("--network", required=True)
        command.add_argument("--level", choices=matching.LEVELS, required=True)
        command.add_argument("--verdict", choices=Verdict.values, required=True)
        command.add_argument("--as", dest="as_member", required=True, metavar="DISPLAY_NAME")
        command = commands.add_parser(
            "xref",
            help="List the corporate groups named in two or more organizations' or countries' "
            "records, broadest first (CSV out).",
        )
        command.add_argument("--network", required=True)
        command.add_argument("--as", dest="as_member", required=True, metavar="DISPLAY_NAME")
        command = commands.add_parser(
            "rescan", help="Index every text of a network again and find its mentions anew."
        )
        command.add_argument("--network", required=True)

    def run(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] not in ("compare", "cluster"):
            getattr(self, f"do_{options['subcommand']}")(options)
            return
        header, rows = _read(options["csv"])
        try:
            if options["subcommand"] == "compare":
                self._compare(header, rows, level=options["level"])
            else:
                self._cluster(header, rows, level=options["level"])
        except BrokenPipeError:
            # The reader stopped early (`| head`): that is not an error.
            sys.stderr.close()

    def do_import(self, options: dict[str, Any]) -> None:
        member = member_named(options["as_member"])
        network = network_named(options["network"])
        organization = organization_named(options["organization"])
        text = _text_of(options["file"])
        if options["kind"] == "ftm":
            done = ftm.import_lines(member, network=network, organization=organization, text=text)
        else:
            done = actions.import_csv(
                member, network=network, organization=organization, kind=options["kind"], text=text
            )
        self.stdout.write(
            _("Imported: %(created)d new, %(updated)d updated.")
            % {"created": done.created, "updated": done.updated}
        )

    def do_export(self, options: dict[str, Any]) -> None:
        member = member_named(options["as_member"])
        network = network_named(options["network"])
        if not access.is_archive_member(member, network):
            raise ValidationError(_("Only members of the network can do this."))
        for line in ftm.export(network, iter(access.links(member, network))):
            self.stdout.write(json.dumps(line, ensure_ascii=False, sort_keys=True))

    def do_search(self, options: dict[str, Any]) -> None:
        member = member_named(options["as_member"])
        network = network_named(options["network"])
        if not access.is_archive_member(member, network):
            raise ValidationError(_("Only members of the network can do this."))
        hits = search.search(
            member,
            network,
            options["query"],
            search.Filters(kind=options["kind"], language=options["language"]),
        )
        writer = self._writer(["kind", "id", "language", "title", "snippet"])
        for hit in hits:
            writer.writerow(
                {
                    "kind": hit.entry.kind,
                    "id": hit.entry.object_id,
                    "language": hit.entry.language,
                    "title": hit.entry.title,
                    "snippet": html.unescape(strip_tags(hit.snippet)),
                }
            )

    def do_suggest(self, options: dict[str, Any]) -> None:
        member = member_named(options["as_member"])
        network = network_named(options["network"])
        writer = self._writer(["first", "second", "score", "reasons"])
        for found in resolution.suggestions(member, network, options["level"], limit=10_000):
            writer.writerow(
                {
                    "first": found.left.key,
                    "second": found.right.key,
                    "score": f"{found.score:.4f}",
                    "reasons": "; ".join(found.reasons),
                }
            )

    def do_judge(self, options: dict[str, Any]) -> None:
        member = member_named(options["as_member"])
        network = network_named(options["network"])
        records = {
            e.key: e
            for e in access.entities_of(member, network).filter(
                key__in=[options["first"], options["second"]]
            )
        }
        for key in (options["first"], options["second"]):
            if key not in records:
                raise ValidationError(_("There is no entity %(key)s.") % {"key": key})
        judgement = resolution.judge(
            member,
            network=network,
            level=options["level"],
            first=records[options["first"]],
            second=records[options["second"]],
            verdict=options["verdict"],
        )
        self.stdout.write(
            _("Judged: %(verdict)s (score %(score).4f).")
            % {"verdict": judgement.get_verdict_display(), "score": judgement.score or 0}
        )

    def do_xref(self, options: dict[str, Any]) -> None:
        member = member_named(options["as_member"])
        network = network_named(options["network"])
        if not access.is_archive_member(member, network):
            raise ValidationError(_("Only members of the network can do this."))
        writer = self._writer(["group", "organizations", "countries", "evidence", "records"])
        for found in xref.cross_reference(member, network):
            if not found.shared:
                continue
            writer.writerow(
                {
                    "group": found.group.head.key,
                    "organizations": "; ".join(o.slug for o in found.organizations),
                    "countries": " ".join(found.countries),
                    "evidence": len(found.evidence),
                    "records": " ".join(sorted(e.key for e in found.group.entities)),
                }
            )

    def do_rescan(self, options: dict[str, Any]) -> None:
        network = network_named(options["network"])
        count = indexing.rescan(network)
        self.stdout.write(_("Mentions found: %(count)d.") % {"count": count})

    def _compare(
        self, header: Sequence[str], rows: list[dict[str, str]], *, level: matching.Level
    ) -> None:
        _require(header, ("name1", "name2"))
        added = [column for column in ("score", "match") if column not in header]
        writer = self._writer([*header, *added])
        for row in rows:
            comparison = matching.compare(
                row["name1"],
                row["name2"],
                level=level,
                country1=row.get("country1") or None,
                country2=row.get("country2") or None,
            )
            row["score"] = f"{comparison.score:.4f}"
            row["match"] = "true" if comparison.match else "false"
            writer.writerow(row)

    def _cluster(
        self, header: Sequence[str], rows: list[dict[str, str]], *, level: matching.Level
    ) -> None:
        _require(header, ("id", "name"))
        ids = [row["id"] for row in rows]
        if len(set(ids)) != len(ids):
            raise ValidationError(_("Each id must appear once in the file."))
        clusters = matching.cluster(
            ((row["id"], row["name"], row.get("country") or None) for row in rows), level=level
        )
        writer = self._writer(["id", "cluster"])
        for row in rows:
            writer.writerow({"id": row["id"], "cluster": clusters[row["id"]]})

    def _writer(self, columns: Sequence[str]) -> "csv.DictWriter[str]":
        writer = csv.DictWriter(_Lines(self), fieldnames=list(columns), lineterminator="\n")
        writer.writeheader()
        return writer


class _Lines(io.TextIOBase):
    """The command's standard output, as a file the csv module can write to."""

    def __init__(self, command: Command) -> None:
        self.command = command

    def write(self, text: str) -> int:
        self.command.stdout.write(text, ending="")
        return len(text)


def _read(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    try:
        if str(path) == "-":
            text = sys.stdin.read().removeprefix("\ufeff")
        else:
            text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ValidationError(_("There is no file %(path)s.") % {"path": path}) from None
    except UnicodeDecodeError:
        raise ValidationError(_("%(path)s is not UTF-8 text.") % {"path": path}) from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [column.strip() for column in reader.fieldnames or []]
    reader.fieldnames = header
    rows = []
    for number, row in enumerate(_rows(reader), start=2):
        if None in row:
            raise ValidationError(
                _("Line %(number)d has more values than the header has columns.")
                % {"number": number}
            )
        rows.append({key: value or "" for key, value in row.items()})
    return header, rows


def _rows(reader: "csv.DictReader[str]") -> Iterator[dict[str, str]]:
    try:
        yield from reader
    except csv.Error as error:
        raise ValidationError(
            _("The CSV file cannot be read: %(error)s") % {"error": error}
        ) from None


def _require(header: Sequence[str], columns: Sequence[str]) -> None:
    missing = [column for column in columns if column not in header]
    if missing:
        raise ValidationError(
            _("The CSV file needs the columns %(needed)s; it lacks %(missing)s.")
            % {"needed": ", ".join(columns), "missing": ", ".join(missing)}
        )


def _text_of(path: Path) -> str:
    if str(path) == "-":
        return sys.stdin.read()
    if not path.is_file():
        raise ValidationError(_("There is no file %(path)s.") % {"path": path})
    return path.read_text(encoding="utf-8-sig")
