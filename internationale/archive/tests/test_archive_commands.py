"""`internationale archive compare|cluster`: CSV in, CSV out, and clean failures."""

import csv
import io
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command


def archive(*args: str) -> list[dict[str, str]]:
    out = io.StringIO()
    call_command("archive", *args, stdout=out)
    return list(csv.DictReader(io.StringIO(out.getvalue())))


def write(path: Path, text: str, *, bom: bool = False) -> str:
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return str(path)


def test_it_compares_pairs_and_passes_other_columns_through(tmp_path: Path) -> None:
    pairs = write(
        tmp_path / "pairs.csv",
        "case,name1,name2,country1,country2\n"
        "1,Siemens AG,Siemens Aktiengesellschaft,,\n"
        '2,"ООО ""БАЙ""","ООО ""БАЙКАЛ""",RU,RU\n'
        "3,Acme Logistics Ltd,Acme Logistics Ltd,GB,IN\n",
        bom=True,
    )
    rows = archive("compare", pairs, "--level", "entity")
    assert list(rows[0]) == ["case", "name1", "name2", "country1", "country2", "score", "match"]
    assert [(r["case"], r["score"], r["match"]) for r in rows] == [
        ("1", "1.0000", "true"),
        ("2", "0.0000", "false"),
        ("3", "0.9000", "true"),
    ]
    assert rows[1]["name2"] == 'ООО "БАЙКАЛ"'


def test_it_compares_at_the_group_level(tmp_path: Path) -> None:
    pairs = write(
        tmp_path / "pairs.csv",
        "name1,name2\nBridgestone Tire Co.,Bridgestone de Costa Rica S.A.\n"
        "Delta Air Lines,Delta Faucet Company\n",
    )
    rows = archive("compare", pairs, "--level", "group")
    assert [r["match"] for r in rows] == ["true", "false"]
    assert all(len(r["score"].split(".")[1]) == 4 for r in rows)


def test_it_clusters_names_with_an_optional_country(tmp_path: Path) -> None:
    names = write(
        tmp_path / "names.csv",
        "id,name,country\n"
        "b7,Bridgestone de Costa Rica S.A.,CR\n"
        "a1,Bridgestone Tire Co.,US\n"
        "c3,ООО «Бриджстоун СНГ»,RU\n"
        "d4,Delta Faucet Company,\n",
        bom=True,
    )
    rows = archive("cluster", names, "--level", "group")
    assert [(r["id"], r["cluster"]) for r in rows] == [
        ("b7", "a1"),
        ("a1", "a1"),
        ("c3", "a1"),
        ("d4", "d4"),
    ]
    entity_rows = archive("cluster", names, "--level", "entity")
    assert {r["cluster"] for r in entity_rows} == {"b7", "a1", "c3", "d4"}


def test_it_refuses_a_file_without_the_columns_it_needs(tmp_path: Path) -> None:
    names = write(tmp_path / "names.csv", "id,nom\n1,Siemens AG\n")
    with pytest.raises(CommandError, match="lacks name"):
        archive("cluster", names, "--level", "group")
    pairs = write(tmp_path / "pairs.csv", "name1,second\nSiemens AG,Siemens\n")
    with pytest.raises(CommandError, match="lacks name2"):
        archive("compare", pairs, "--level", "entity")
    with pytest.raises(CommandError, match="There is no file"):
        archive("compare", str(tmp_path / "missing.csv"), "--level", "entity")
    duplicates = write(tmp_path / "twice.csv", "id,name\n1,Siemens AG\n1,Siemens\n")
    with pytest.raises(CommandError, match="once"):
        archive("cluster", duplicates, "--level", "entity")
    with pytest.raises(CommandError):
        archive("cluster", names, "--level", "planet")


def test_it_exits_with_status_1_and_a_message_on_bad_input(tmp_path: Path) -> None:
    names = write(tmp_path / "names.csv", "identifier,name\n1,Siemens AG\n")
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from internationale.cli import main; main()",
            "archive",
            "cluster",
            names,
            "--level",
            "group",
        ],
        capture_output=True,
        text=True,
        check=False,
        env={"INTERNATIONALE_TESTING": "true", "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 1
    assert "lacks id" in result.stderr
    assert result.stdout == ""
