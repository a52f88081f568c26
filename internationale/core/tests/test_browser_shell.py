"""The site's shell in Chromium, on every main page, for a visitor and for a coordinator, in
English and in Arabic: accessible (axe-core), served by the site alone under its strict
Content-Security-Policy, and no wider than a phone."""

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import axe_playwright_python
import pytest
from django.urls import reverse
from playwright.sync_api import expect

from internationale.network import actions

pytestmark = pytest.mark.browser

# axe-core ships inside the installed axe-playwright-python package: no download.
AXE_SCRIPT = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()
BLOCKING_IMPACTS = {"serious", "critical"}
PHONE = {"width": 360, "height": 740}
# The axe-core rules whose outcome changes with the width of the screen.
PHONE_RULES = [
    "scrollable-region-focusable",
    "color-contrast",
    "target-size",
    "meta-viewport",
    "meta-viewport-large",
]

# Added to every page before its own scripts: collects what the browser refuses under the
# Content-Security-Policy, including refusals it does not log to the console.
RECORD_CSP_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.violatedDirective} refused ${event.blockedURI || "inline"} ` +
    `(${event.sourceFile || ""}:${event.lineNumber || 0})`);
});
"""


@dataclass
class Site:
    """The main pages of the personas' world, by who may open them."""

    coordinator: Any
    public_pages: dict[str, str]
    member_pages: dict[str, str]
    extra_member_pages: dict[str, str] = field(default_factory=dict)


@pytest.fixture
def site(world: dict[str, Any]) -> Site:
    """The personas' world, with Alpha also public in a public network, so that a visitor
    has a network page, an organization page and a notice to read."""
    coordinator, alpha, network = world["coordinator"], world["alpha"], world["network"]
    public = actions.create_network(None, name="Open Network", visibility="public")
    _invitation, token = actions.invite_organization(None, network=public)
    actions.accept_organization_invitation(coordinator, token=token, organization=alpha)
    actions.update_organization(
        coordinator,
        alpha,
        name=alpha.name,
        country=alpha.country,
        languages=["en", "ar"],
        time_zone=alpha.time_zone,
        description="Warehouse workers of the south side.",
        visibility="public",
    )
    circle = actions.create_circle(
        coordinator, organization=alpha, name="Night shift", members=[world["member"]]
    )
    notice = actions.post_notice(
        coordinator,
        organization=alpha,
        title="Meeting on Thursday",
        body="After the night shift.",
        visibility="public",
    )
    _invitation, join_person = actions.invite_person(
        coordinator, organization=alpha, capabilities=["translator"]
    )
    _invitation, join_organization = actions.invite_organization(None, network=network)
    membership = world["member"].memberships.get()
    return Site(
        coordinator=coordinator,
        public_pages={
            "home": "/",
            "login": reverse("network:login"),
            "network": public.get_absolute_url(),
            "organization": alpha.get_absolute_url(),
            "notice": notice.get_absolute_url(),
            "person invitation": reverse("network:invitation", args=[join_person]),
            "organization invitation": reverse("network:invitation", args=[join_organization]),
        },
        member_pages={
            "home": "/",
            "network": network.get_absolute_url(),
            "member directory": reverse("network:network-members", args=[network.slug]),
            "organization": alpha.get_absolute_url(),
            "account": reverse("network:account"),
            "API tokens": reverse("network:tokens"),
        },
        extra_member_pages={
            "password": reverse("network:password"),
            "second factor": reverse("network:second-factor"),
            "invite a person": reverse("network:invite-person", args=[alpha.slug]),
            "invite an organization": reverse("network:invite-organization", args=[network.slug]),
            "new circle": reverse("network:new-circle", args=[alpha.slug]),
            "edit organization": reverse("network:edit-organization", args=[alpha.slug]),
            "edit membership": reverse("network:edit-membership", args=[alpha.slug, membership.pk]),
            "circle": circle.get_absolute_url(),
            "notice": notice.get_absolute_url(),
        },
    )


def readers(
    site: Site,
    new_page: Callable[..., Any],
    log_in: Callable[..., None],
    *,
    language: str,
    **options: Any,
) -> list[tuple[str, Any, dict[str, str]]]:
    """A visitor's page and a coordinator's page, both reading `language`, each with the
    pages it may open."""
    visitor = new_page(language=language, **options)
    actions.set_language(site.coordinator, language=language)
    coordinator = new_page(**options)
    log_in(coordinator, site.coordinator)
    return [
        ("visitor", visitor, site.public_pages),
        ("coordinator", coordinator, site.member_pages),
    ]


def open_page(page: Any, path: str, *, language: str) -> None:
    response = page.goto(path)
    assert response is not None, path
    assert response.status == 200, f"{path}: {response.status}"
    html = page.locator("html")
    expect(html).to_have_attribute("lang", language)
    expect(html).to_have_attribute("dir", "rtl" if language == "ar" else "ltr")


def axe_problems(page: Any, where: str, *, rules: list[str] | None = None) -> list[str]:
    """axe-core's serious and critical findings on the page, one readable entry each."""
    page.evaluate(AXE_SCRIPT)  # evaluated by the test, so the page's CSP does not apply
    options: dict[str, Any] = {"resultTypes": ["violations"]}
    if rules:
        options["runOnly"] = {"type": "rule", "values": rules}
    results = page.evaluate("options => axe.run(document, options)", options)
    return [
        f"{where}: {v['impact']} {v['id']}: {v['help']}\n    "
        + "\n    ".join(node["html"][:160] for node in v["nodes"][:5])
        for v in results["violations"]
        if v["impact"] in BLOCKING_IMPACTS
    ]


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_main_pages_have_no_serious_accessibility_violation(
    site: Site, new_page: Callable[..., Any], log_in: Callable[..., None], language: str
) -> None:
    found = []
    checked = 0
    for who, page, pages in readers(site, new_page, log_in, language=language):
        for name, path in pages.items():
            open_page(page, path, language=language)
            page.evaluate(AXE_SCRIPT)
            results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
            checked += 1
            found += [
                f"{who} · {name} ({path}): {v['impact']} {v['id']}: {v['help']}\n    "
                + "\n    ".join(node["html"][:160] for node in v["nodes"][:5])
                for v in results["violations"]
                if v["impact"] in BLOCKING_IMPACTS
            ]
    assert checked == len(site.public_pages) + len(site.member_pages)
    assert not found, f"axe-core finds {len(found)} serious violation(s):\n" + "\n".join(found)


def test_every_page_is_served_by_the_site_alone_under_its_policy(
    site: Site, new_page: Callable[..., Any], log_in: Callable[..., None], live_server: Any
) -> None:
    origin = live_server.url
    elsewhere: list[str] = []
    refused: list[str] = []
    failed: list[str] = []
    loaded: set[str] = set()

    def watch(who: str, page: Any) -> None:
        page.context.add_init_script(RECORD_CSP_VIOLATIONS)

        def on_request(request: Any) -> None:
            parts = urlsplit(request.url)
            if parts.scheme in ("data", "about", "blob"):
                return
            if f"{parts.scheme}://{parts.netloc}" != origin:
                elsewhere.append(f"{who} · {page.url}: {request.url}")

        def on_response(response: Any) -> None:
            loaded.add(urlsplit(response.url).path)
            if response.request.resource_type != "document" and response.status >= 400:
                failed.append(f"{who} · {page.url}: {response.status} {response.url}")

        page.on("request", on_request)
        page.on("response", on_response)

        def on_failure(request: Any) -> None:
            # The next navigation cancels what is still loading (the icon, say): that is not a
            # missing asset, which would answer 4xx above.
            if request.failure != "net::ERR_ABORTED":
                failed.append(f"{who} · {page.url}: {request.failure} {request.url}")

        page.on("requestfailed", on_failure)
        page.on("pageerror", lambda error: refused.append(f"{who} · {page.url}: {error}"))
        page.on(
            "console",
            lambda message: (
                refused.append(f"{who} · {page.url}: {message.text}")
                if message.type == "error" and "Content Security Policy" in message.text
                else None
            ),
        )

    visitor = new_page()
    watch("visitor", visitor)
    coordinator = new_page()
    watch("coordinator", coordinator)
    log_in(coordinator, site.coordinator)
    visits = [(visitor, path) for path in site.public_pages.values()] + [
        (coordinator, path)
        for path in [*site.member_pages.values(), *site.extra_member_pages.values()]
    ]
    for page, path in visits:
        open_page(page, path, language="en")
        page.wait_for_load_state("load")
        refused.extend(f"{page.url}: {v}" for v in page.evaluate("window.__cspViolations"))
    # The bare shell, as a page that does not exist shows it.
    assert visitor.goto("/no-such-page/").status == 404
    refused.extend(visitor.evaluate("window.__cspViolations"))

    # The watch saw the site's own assets, so it would have seen anyone else's.
    assert any(path.endswith(".css") for path in loaded), sorted(loaded)
    assert any(path.endswith(".js") for path in loaded), sorted(loaded)
    assert not elsewhere, "Requests to other origins:\n" + "\n".join(elsewhere)
    assert not refused, "Refused under the Content-Security-Policy, or failed:\n" + "\n".join(
        refused
    )
    assert not failed, "Assets that did not load:\n" + "\n".join(failed)


def test_htmx_swaps_a_revoked_token_in_place_under_the_policy(
    site: Site, page: Any, log_in: Callable[..., None]
) -> None:
    actions.create_api_token(site.coordinator, name="Relay bot")
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on(
        "console",
        lambda message: problems.append(message.text) if message.type == "error" else None,
    )
    log_in(page, site.coordinator)
    page.goto("/account/tokens/")
    page.evaluate("window.__notReloaded = true")
    tokens = page.locator("#tokens")
    expect(tokens.locator("li")).to_have_count(1)
    expect(tokens).to_contain_text("Relay bot")

    with page.expect_request(lambda r: r.headers.get("hx-request") == "true"):
        tokens.get_by_role("button", name="Revoke").click()

    expect(tokens.locator("li")).to_have_count(0)
    expect(tokens).not_to_contain_text("Relay bot")
    assert page.evaluate("window.__notReloaded") is True, "the page reloaded instead of a swap"
    assert not problems, json.dumps(problems, indent=1)


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_main_pages_fit_a_phone(
    site: Site, new_page: Callable[..., Any], log_in: Callable[..., None], language: str
) -> None:
    """No page is wider than a 360 px phone, and what is cut off by the narrow screen (a
    table that scrolls sideways) can still be reached, read and pressed (axe-core's rules
    that depend on the layout)."""
    problems = []
    for who, page, pages in readers(site, new_page, log_in, language=language, viewport=PHONE):
        for name, path in pages.items():
            open_page(page, path, language=language)
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > PHONE["width"]:
                problems.append(f"{who} · {name} ({path}): {width} px wide")
            problems += axe_problems(page, f"{who} · {name} ({path})", rules=PHONE_RULES)
    assert not problems, f"At {PHONE['width']} px:\n" + "\n".join(problems)
