"""Page weight: the bytes each main page costs over the wire, against a budget of 30 KB.

Organizers read Internationale on phones, on slow or metered connections, often through Tor.
This serves the demo network as production does (gunicorn, DEBUG off, compressed and
fingerprinted static files, gzip), loads each main page in Chromium with an empty cache, and
sums what came over the wire for the page and everything it loaded (HTML, CSS, JS, fonts,
images, the icon), compressed, headers included. The bare site shell (the 404 page) is
measured in the same run as the baseline each page is compared with.

    make bench        (INTERNATIONALE_TESTING=true .venv/bin/python benchmarks/page_weight.py)

Exits non-zero when a page is over budget, or when text came uncompressed.
"""

import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BUDGET = 30 * 1024
# Text smaller than this is not worth compressing (Django's GZipMiddleware leaves it alone).
COMPRESS_FROM = 1024
TEXT_TYPES = ("text/", "application/javascript", "application/json", "image/svg+xml")


@dataclass
class Weight:
    bytes: int = 0
    html: int = 0
    requests: int = 0
    compressed: int = 0
    uncompressed: list[str] = field(default_factory=list)


def demo_account() -> tuple[str, str]:
    """The demo coordinator's display name and password, from the demo itself."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "internationale.settings")
    os.environ.setdefault("INTERNATIONALE_TESTING", "true")
    import django

    django.setup()
    from internationale.network.demo import DEMO_PASSWORD, ORGANIZATIONS

    return ORGANIZATIONS[0].people[0].name, DEMO_PASSWORD


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def server_env(data_dir: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("INTERNATIONALE_", "DJANGO_")) and key != "DATABASE_URL"
    }
    env.update(
        {
            "INTERNATIONALE_DATA_DIR": data_dir,
            "INTERNATIONALE_HTTPS": "false",
            "INTERNATIONALE_DEBUG": "false",
            "INTERNATIONALE_TESTING": "false",
            "INTERNATIONALE_SECRET_KEY": secrets.token_urlsafe(50),
            "INTERNATIONALE_LOG_LEVEL": "WARNING",
        }
    )
    return env


def wait_for(url: str, server: subprocess.Popen[bytes], *, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"The server stopped at start-up (status {server.returncode}).")
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"The server did not answer at {url} within {seconds:.0f} seconds.")


def measure(browser: Any, url: str, *, cookies: list[dict[str, Any]]) -> Weight:
    """What loading `url` in a fresh context (empty cache) costs over the wire."""
    context = browser.new_context(locale="en", service_workers="block")
    context.add_cookies(cookies)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    responses: dict[str, dict[str, Any]] = {}
    finished: dict[str, int] = {}
    cdp.on(
        "Network.responseReceived", lambda event: responses.__setitem__(event["requestId"], event)
    )
    cdp.on(
        "Network.loadingFinished",
        lambda event: finished.__setitem__(event["requestId"], int(event["encodedDataLength"])),
    )
    page.goto(url, wait_until="load")
    page.wait_for_load_state("networkidle")
    weight = Weight()
    for request_id, event in responses.items():
        response = event["response"]
        name = response["url"].split("?")[0].rsplit("/", 1)[-1] or response["url"]
        size = finished.get(request_id, 0)
        weight.bytes += size
        weight.requests += 1
        if event["type"] == "Document":
            weight.html += size
        encoding = {key.lower(): value for key, value in response["headers"].items()}.get(
            "content-encoding", ""
        )
        if encoding in ("gzip", "br", "zstd"):
            weight.compressed += 1
        elif str(response.get("mimeType", "")).startswith(TEXT_TYPES) and size > COMPRESS_FROM:
            weight.uncompressed.append(f"{name} ({size} B)")
    context.close()
    return weight


def main() -> int:
    display_name, password = demo_account()
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="internationale-bench-") as data_dir:
        env = server_env(data_dir)
        internationale = str(ROOT / ".venv" / "bin" / "internationale")
        subprocess.run(
            [internationale, "demo"], env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL
        )
        base = f"http://127.0.0.1:{free_port()}"
        server = subprocess.Popen(
            [internationale, "serve", "--bind", base.removeprefix("http://"), "--workers", "1"],
            env=env,
            cwd=ROOT,
        )
        try:
            wait_for(f"{base}/login/", server)
            return report(base, display_name, password, started)
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def report(base: str, display_name: str, password: str, started: float) -> int:
    from playwright.sync_api import sync_playwright

    from internationale.core.browser import launch_chromium

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            # Log in once, as a person would; each measured page then starts from an empty
            # cache with only the session cookie.
            context = browser.new_context(locale="en", base_url=base)
            page = context.new_page()
            page.goto("/login/")
            form = page.locator("main form")
            form.locator("input[name=display_name]").fill(display_name)
            form.locator("input[name=password]").fill(password)
            form.locator("button").click()
            page.wait_for_url(f"{base}/")
            organization = page.locator("main a[href^='/organizations/']").first.get_attribute(
                "href"
            )
            network = page.locator("main a[href^='/networks/']").first.get_attribute("href")
            page.goto(network or "/")
            fund = page.locator("main a[href^='/funds/']").first.get_attribute("href")
            page.goto(fund or "/")
            draw = page.locator("main a[href^='/draws/']").first.get_attribute("href")
            page.goto(f"{network}relays/")
            relay = page.locator("main a[href^='/relays/']").last.get_attribute("href")
            page.goto(relay or "/")
            report = page.locator("main a[href^='/reports/']").first.get_attribute("href")
            page.goto(f"{network}archive/cross-reference/")
            group = page.locator("main a[href^='/archive/groups/']").first.get_attribute("href")
            page.goto(f"{network}archive/")
            testimony = page.locator("main a[href^='/archive/testimonies/']").first.get_attribute(
                "href"
            )
            session = context.cookies()
            context.close()
            if not all((organization, network, fund, draw, relay, report, group, testimony)):
                raise SystemExit(
                    "The demo coordinator's pages link no organization, network, fund, draw, "
                    "relay, report, corporate group or testimony."
                )

            shell = measure(browser, f"{base}/no-such-page/", cookies=[])
            pages = [
                ("home (visitor)", "/", []),
                ("login", "/login/", []),
                ("network", network, session),
                ("organization", organization, session),
                ("member directory", f"{network}members/", session),
                ("account", "/account/", session),
                ("API tokens (htmx)", "/account/tokens/", session),
                ("home (coordinator)", "/", session),
                ("fund", fund, session),
                ("fund ledger", f"{fund}ledger/", session),
                ("draw request", draw, session),
                ("new draw request", f"{fund}draws/new/", session),
                ("relays", f"{network}relays/", session),
                ("relay (mosaic)", relay, session),
                ("field report", report, session),
                ("relay dossier", f"{relay}dossier/", session),
                ("archive", f"{network}archive/", session),
                ("archive search", f"{network}archive/search/?q=corvane", session),
                ("testimony", testimony, session),
                ("cross-reference", f"{network}archive/cross-reference/", session),
                ("group evidence", group, session),
                ("network map", f"{network}archive/map/", session),
                ("matches", f"{network}archive/resolution/", session),
            ]
            weights = [
                (name, measure(browser, base + path, cookies=cookies))
                for name, path, cookies in pages
            ]
        finally:
            browser.close()

    print(
        f"Page weight over the wire (compressed, headers included), budget "
        f"{BUDGET} B = 30 KB per page"
    )
    print(
        f"{'page':<20} {'requests':>8} {'gzipped':>8} {'html':>7} {'bytes':>7} "
        f"{'budget':>7} {'÷budget':>8} {'÷shell':>7}"
    )
    for name, weight in [("shell (404 page)", shell), *weights]:
        print(
            f"{name:<20} {weight.requests:>8} {weight.compressed:>8} {weight.html:>7} "
            f"{weight.bytes:>7} {BUDGET:>7} {weight.bytes / BUDGET:>8.2f} "
            f"{weight.bytes / shell.bytes:>7.2f}"
        )
    failures = []
    for name, weight in [("shell (404 page)", shell), *weights]:
        if weight.bytes > BUDGET:
            failures.append(f"{name}: {weight.bytes} B is over the budget of {BUDGET} B")
        if weight.uncompressed:
            failures.append(f"{name}: sent uncompressed: {', '.join(weight.uncompressed)}")
    print(f"(measured in {time.monotonic() - started:.1f} s)")
    for failure in failures:
        print(f"FAIL {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
