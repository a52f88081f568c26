"""The shell every page shares: languages, security headers, settings, the worker."""

import gettext
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from internationale.core.testing import production_environment

ROOT = Path(__file__).resolve().parents[3]
LOCALE = ROOT / "internationale" / "locale"
TRANSLATED = [code for code, _name in settings.LANGUAGES if code != "en"]


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_is_translated_and_compiled(language: str) -> None:
    po_path = LOCALE / language / "LC_MESSAGES" / "django.po"
    with po_path.open("rb") as handle:
        catalog = read_po(handle)
    assert len(catalog) > 200
    untranslated = [
        m.id
        for m in catalog
        if m.id and not all(m.string if isinstance(m.string, tuple) else (m.string,))
    ]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert untranslated == [], f"untranslated in {language}"
    assert fuzzy == [], f"fuzzy in {language}"
    with (po_path.with_suffix(".mo")).open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = [
        m.id for m in catalog if m.id and not m.pluralizable and compiled.gettext(m.id) != m.string
    ]
    assert stale == [], f"the .mo file of {language} is older than its .po file"


def test_placeholders_survive_translation() -> None:
    import re

    pattern = re.compile(r"%\(\w+\)[sd]")
    problems = []
    for language in TRANSLATED:
        with (LOCALE / language / "LC_MESSAGES" / "django.po").open("rb") as handle:
            for message in read_po(handle):
                if not message.id:
                    continue
                ids = message.id if isinstance(message.id, tuple) else (message.id,)
                strings = message.string if isinstance(message.string, tuple) else (message.string,)
                wanted = set(pattern.findall(ids[-1]))
                for string in strings:
                    if not string:
                        continue  # untranslated: the completeness test reports it
                    if set(pattern.findall(string)) - wanted:
                        problems.append((language, ids[0], string))
                    if len(strings) == 1 and set(pattern.findall(string)) != wanted:
                        problems.append((language, ids[0], string))
    assert problems == []


@pytest.mark.django_db
def test_pages_carry_a_strict_content_security_policy() -> None:
    response = Client().get("/login/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_arabic_pages_are_right_to_left() -> None:
    client = Client()
    client.cookies["language"] = "ar"
    page = client.get("/login/").content.decode()
    assert '<html lang="ar" dir="rtl">' in page
    assert "تسجيل" in page or "الدخول" in page


@pytest.mark.django_db
def test_no_asset_comes_from_another_host() -> None:
    page = Client().get("/").content.decode()
    assert "http://" not in page.replace("http://testserver", "")
    assert "https://" not in page
    assert "/static/core/site.css" in page


@pytest.mark.django_db
def test_htmx_is_loaded_only_by_pages_that_use_it() -> None:
    from internationale.core.testing import make_world

    world = make_world()
    client = Client()
    client.force_login(world["member"])
    assert "/static/core/htmx.min.js" not in client.get("/account/").content.decode()
    assert "/static/core/htmx.min.js" in client.get("/account/tokens/").content.decode()


def test_passwords_are_hashed_with_argon2_outside_tests() -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='internationale.settings'; "
            "django.setup(); from django.conf import settings; print(settings.PASSWORD_HASHERS)",
        ],
        env={**production_environment(), "INTERNATIONALE_SECRET_KEY": "x" * 60},
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert result.stdout.strip() == "['django.contrib.auth.hashers.Argon2PasswordHasher']"


def test_the_database_file_is_in_write_ahead_log_mode(tmp_path: Path) -> None:
    env = {
        **production_environment(),
        "INTERNATIONALE_SECRET_KEY": "x" * 60,
        "INTERNATIONALE_DATA_DIR": str(tmp_path),
    }
    subprocess.run(
        [sys.executable, "-m", "internationale.cli", "migrate", "-v", "0"],
        env=env,
        cwd=ROOT,
        check=True,
        timeout=120,
    )
    with sqlite3.connect(tmp_path / "internationale.sqlite3") as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_queued_tasks_from_the_database() -> None:
    from django.test import override_settings
    from django_tasks_db.models import DBTaskResult

    from internationale.core.tasks import clear_expired_sessions

    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        result = clear_expired_sessions.enqueue()
        assert DBTaskResult.objects.get(id=result.id).status == "READY"
        call_command("db_worker", "--batch", "--no-startup-delay")
        assert DBTaskResult.objects.get(id=result.id).status == "SUCCESSFUL"
