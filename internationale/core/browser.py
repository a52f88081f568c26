"""Debian's Chromium, driven by Playwright, for the browser tests and the benchmarks.

Playwright never downloads a browser here: it drives the Chromium the system installed
(`scripts/system-deps`), or the one INTERNATIONALE_CHROMIUM names. A missing browser is an
error, never a reason to skip: a skipped browser test proves nothing.
"""

import os
import shutil
from pathlib import Path
from typing import Any

DEFAULT_CHROMIUM = "/usr/bin/chromium"

# Headless, and quiet: no request of the browser's own (updates, sync, safe browsing, QUIC
# probes) may reach the network, so that every request a test sees comes from the page.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # A fake microphone that needs no permission prompt, for the relay's recorder: it plays
    # a tone, so a test can record in the page as a person would.
    "--use-fake-device-for-media-stream",
    "--use-fake-ui-for-media-stream",
]


class ChromiumMissing(RuntimeError):
    """Chromium is not installed where the tests look for it."""


def chromium_path() -> str:
    """The Chromium executable: INTERNATIONALE_CHROMIUM, else Debian's /usr/bin/chromium."""
    name = os.environ.get("INTERNATIONALE_CHROMIUM", "").strip() or DEFAULT_CHROMIUM
    found = shutil.which(name) if os.sep not in name else name
    if not found or not Path(found).is_file() or not os.access(found, os.X_OK):
        raise ChromiumMissing(
            f"Chromium is not installed at {name!r}. Install Debian's chromium package "
            "(`make system-deps`, or `sudo apt-get install chromium fonts-noto-core`), or set "
            "INTERNATIONALE_CHROMIUM to the path of a Chromium executable."
        )
    return found


def launch_chromium(playwright: Any) -> Any:
    """A headless Chromium browser from `playwright` (a started sync or async Playwright)."""
    return playwright.chromium.launch(
        executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS
    )
