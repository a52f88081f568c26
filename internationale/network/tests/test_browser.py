"""The network's main journeys, in Chromium: joining, logging in, the second factor, the
language of the interface, and what another organization's member may not open."""

import re
import time
from typing import Any

import pyotp
import pytest
from playwright.sync_api import expect

from internationale.core.testing import PASSWORD
from internationale.network import actions
from internationale.network.models import Member

pytestmark = pytest.mark.browser

ARABIC_LETTERS = re.compile("[\u0621-\u064a]")


def wrong_code_for(secret: str) -> str:
    """A six-digit code that TOTP refuses now (it accepts one step either side)."""
    totp = pyotp.TOTP(secret)
    now = time.time()
    accepted = {totp.at(now + step * totp.interval) for step in (-2, -1, 0, 1, 2)}
    return next(code for n in range(10) if (code := f"{n}" * 6) not in accepted)


def test_it_makes_an_account_from_a_person_invitation(page: Any, world: dict[str, Any]) -> None:
    _invitation, token = actions.invite_person(world["coordinator"], organization=world["alpha"])

    page.goto(f"/join/{token}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Join Alpha Union")
    page.get_by_label("Display name").fill("Newcomer N")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Your time zone").select_option("Asia/Dhaka")
    page.get_by_role("button", name="Join").click()

    page.wait_for_url(f"**{world['alpha'].get_absolute_url()}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Alpha Union")
    expect(page.get_by_role("status")).to_contain_text("Welcome to Alpha Union.")
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Newcomer N")).to_be_visible()
    expect(nav.get_by_role("button", name="Log out")).to_be_visible()
    # A member's part of the page: its circles and members.
    expect(page.get_by_role("heading", name="Members")).to_be_visible()
    newcomer = Member.objects.get(display_name="Newcomer N")
    assert newcomer.time_zone == "Asia/Dhaka"
    assert newcomer.membership_in(world["alpha"]) is not None

    # The link is used up: a second visit finds nothing.
    assert page.goto(f"/join/{token}/").status == 404


def test_it_logs_in_with_a_second_factor_and_refuses_a_wrong_code(
    page: Any, live_server: Any, world: dict[str, Any]
) -> None:
    secret = pyotp.random_base32()
    # Each code works once: turn the factor on with the code of the last 30 seconds (still
    # accepted, for clocks that drift), so that the current one is left for logging in.
    totp = pyotp.TOTP(secret)
    actions.enable_second_factor(
        world["member"], secret=secret, code=totp.at(time.time() - totp.interval)
    )

    page.goto("/login/")
    form = page.locator("main form")
    form.get_by_label("Display name").fill("Member A")
    form.get_by_label("Password").fill(PASSWORD)
    form.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/login/second-factor/**")
    expect(page.get_by_role("heading", level=1)).to_have_text("Second factor")

    # The password alone does not log in.
    assert page.context.request.get("/account/", max_redirects=0).status == 302

    code = page.get_by_label("Code from your authenticator app, or a recovery code")
    code.fill(wrong_code_for(secret))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("alert")).to_have_text("That code is not right.")
    expect(page.get_by_role("navigation", name="Main")).not_to_contain_text("Member A")

    code.fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Member A")
    expect(
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Member A")
    ).to_be_visible()


def test_it_switches_the_interface_to_arabic_and_remembers_it(page: Any, live_server: Any) -> None:
    page.goto("/")
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "en")
    expect(html).to_have_attribute("dir", "ltr")

    page.locator("footer").get_by_role("button", name="العربية").click()
    page.wait_for_load_state()

    expect(html).to_have_attribute("lang", "ar")
    expect(html).to_have_attribute("dir", "rtl")
    expect(page.get_by_role("heading", level=1)).to_have_text(ARABIC_LETTERS)
    expect(page.locator("header nav")).to_have_text(ARABIC_LETTERS)

    # Remembered on the next page load, of another page.
    page.goto("/login/")
    expect(html).to_have_attribute("lang", "ar")
    expect(html).to_have_attribute("dir", "rtl")
    expect(page.get_by_role("heading", level=1)).to_have_text(ARABIC_LETTERS)
    expect(page.locator("footer button[aria-current]")).to_have_attribute("value", "ar")


def test_it_remembers_a_members_language_on_their_account(
    new_page: Any, world: dict[str, Any], log_in: Any
) -> None:
    page = new_page()
    log_in(page, world["member"])
    page.locator("footer").get_by_role("button", name="العربية").click()
    page.wait_for_load_state()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    assert Member.objects.get(pk=world["member"].pk).language == "ar"

    # Another browser, with no language cookie: logging in brings Arabic back.
    elsewhere = new_page()
    log_in(elsewhere, world["member"])
    expect(elsewhere.locator("html")).to_have_attribute("lang", "ar")
    expect(elsewhere.locator("html")).to_have_attribute("dir", "rtl")


def test_it_keeps_an_organizations_private_pages_from_another_organization(
    new_page: Any, world: dict[str, Any], log_in: Any
) -> None:
    alpha, coordinator = world["alpha"], world["coordinator"]
    circle = actions.create_circle(
        coordinator,
        organization=alpha,
        name="Strike committee",
        description="Meets in the basement on Mondays.",
        members=[world["member"]],
    )
    notice = actions.post_notice(
        coordinator,
        organization=alpha,
        title="The plan for Friday",
        body="Walk out at noon, meet at gate 4.",
        visibility="private",
    )

    # A member of Alpha opens both: the pages exist.
    insider = new_page()
    log_in(insider, world["member"])
    assert insider.goto(f"/circles/{circle.pk}/").status == 200
    expect(insider.get_by_role("heading", level=1)).to_have_text("Strike committee")
    assert insider.goto(f"/notices/{notice.pk}/").status == 200
    expect(insider.get_by_role("heading", level=1)).to_have_text("The plan for Friday")

    # The outsider, of Beta in the same network, finds neither.
    outsider = new_page()
    log_in(outsider, world["outsider"])
    for path in (f"/circles/{circle.pk}/", f"/notices/{notice.pk}/"):
        response = outsider.goto(path)
        assert response.status == 404, path
        expect(outsider.get_by_role("heading", level=1)).to_have_text("Not found")
        body = outsider.locator("body")
        for secret in ("Strike committee", "basement", "The plan for Friday", "gate 4"):
            expect(body).not_to_contain_text(secret)

    # Alpha's page is open to the network, but without its private part.
    assert outsider.goto(alpha.get_absolute_url()).status == 200
    expect(outsider.get_by_role("heading", level=1)).to_have_text("Alpha Union")
    for secret in ("Strike committee", "The plan for Friday"):
        expect(outsider.locator("body")).not_to_contain_text(secret)
    expect(outsider.locator(f"a[href='/circles/{circle.pk}/']")).to_have_count(0)


def test_it_turns_the_second_factor_on_from_the_account_page(
    page: Any, world: dict[str, Any], log_in: Any
) -> None:
    requests: list[str] = []
    log_in(page, world["member"])
    page.goto("/account/")
    page.get_by_role("link", name="Turn it on").click()
    page.wait_for_url("**/account/second-factor/")
    page.on("request", lambda request: requests.append(request.url))

    qr = page.locator(".qr > svg")
    expect(qr).to_be_visible()
    expect(page.locator(".qr img")).to_have_count(0)
    secret = page.locator("p.secret").inner_text().strip()
    assert re.fullmatch("[A-Z2-7]{32}", secret), secret

    # A wrong code first: refused, and the same secret is kept for the next try.
    page.get_by_label("The 6-digit code your app shows").fill(wrong_code_for(secret))
    page.locator("main form").get_by_role("button", name="Turn it on").click()
    expect(page.get_by_role("alert")).to_contain_text("That code is not right.")
    assert page.locator("p.secret").inner_text().strip() == secret
    assert not Member.objects.get(pk=world["member"].pk).has_second_factor

    page.get_by_label("The 6-digit code your app shows").fill(pyotp.TOTP(secret).now())
    page.locator("main form").get_by_role("button", name="Turn it on").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Recovery codes")
    codes = page.locator("ul.codes > li")
    expect(codes).to_have_count(actions.RECOVERY_CODE_COUNT)
    texts = [text.strip() for text in codes.all_inner_texts()]
    assert len(set(texts)) == len(texts)
    for text in texts:
        assert re.fullmatch("[0-9a-f]{5}(-[0-9a-f]{5})+", text), text
    member = Member.objects.get(pk=world["member"].pk)
    assert member.has_second_factor
    assert member.totp_secret == secret
    # The QR code was drawn into the page: no image was fetched for it.
    assert not [url for url in requests if "qr" in url.lower() or url.endswith(".png")]

    page.get_by_role("link", name="I have written them down").click()
    expect(page.locator("main")).to_contain_text(
        f"The second factor is on. You have {actions.RECOVERY_CODE_COUNT} unused recovery codes."
    )
