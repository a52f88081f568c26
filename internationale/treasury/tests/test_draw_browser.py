"""A draw's main journey, in Chromium: a coordinator asks under blind review, two stewards
approve on the page, one pays out, the coordinator reports back; in English and Arabic, on
a 360-pixel phone."""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from internationale.core.testing import PASSWORD
from internationale.network import actions as network_actions
from internationale.network.models import Member
from internationale.treasury import actions
from internationale.treasury.models import Draw, DrawState

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}


def steward_of(organization: Any, name: str) -> Member:
    _invitation, token = network_actions.invite_person(
        None, organization=organization, capabilities=("steward",)
    )
    return network_actions.accept_person_invitation(
        None, token=token, display_name=name, password=PASSWORD
    )


def fits_a_phone(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide"


def test_a_request_goes_from_asking_to_reporting_back(
    new_page: Callable[..., Any], world: dict[str, Any], log_in: Callable[..., None]
) -> None:
    first, second = steward_of(world["beta"], "Steward B"), steward_of(world["beta"], "Steward Bee")
    fund = actions.open_fund(
        world["coordinator"],
        network=world["network"],
        name="Solidarity Fund",
        currency="USD",
        custodian=world["beta"],
        stewards=[world["steward"], first, second],
        rules={"approvals_needed": 2},
    )
    actions.record_contribution(
        first,
        fund=fund,
        organization=world["beta"],
        amount="1000.00",
        currency="USD",
        received_on=timezone.localdate(),
        key="beta-1",
    )

    # The coordinator asks, on a phone, under blind review.
    coordinator = new_page(viewport=PHONE)
    log_in(coordinator, world["coordinator"])
    coordinator.goto(f"/funds/{fund.slug}/draws/new/")
    expect(coordinator.get_by_role("heading", level=1)).to_have_text("Ask the fund for money")
    fits_a_phone(coordinator)
    form = coordinator.locator("main form")
    form.get_by_label("strike hardship").check()
    form.get_by_label("Amount:", exact=True).fill("300.00")
    form.get_by_label("Money your organization has for this itself").fill("100")
    needed_by = timezone.localdate() + timedelta(days=10)
    form.get_by_label("Needed by").fill(needed_by.isoformat())
    form.get_by_label("What happened, and what the money is for").fill(
        "Forty families lost a month of wages in the lockout."
    )
    form.get_by_label("Evidence").fill("Payroll slips, held by the strike committee.")
    form.get_by_label("Blind review").check()
    form.get_by_role("button", name="Send the request").click()
    coordinator.wait_for_url("**/draws/*/")
    expect(coordinator.get_by_role("status")).to_have_text("Your request is with the stewards.")
    draw = Draw.objects.get()
    assert draw.blind
    assert draw.amount == 30_000
    fits_a_phone(coordinator)

    # Two stewards of another organization approve; until then they do not see who asks.
    for steward, rating in ((first, "4"), (second, "5: great")):
        page = new_page()
        log_in(page, steward)
        page.goto(draw.get_absolute_url())
        main = page.locator("main")
        if steward == first:
            expect(main).to_contain_text("hidden for blind review")
            expect(main).not_to_contain_text("Alpha Union")
            expect(main).to_contain_text("Forty families")
        vote = page.locator("form", has=page.get_by_role("button", name="Vote"))
        vote.get_by_label("approve", exact=True).check()
        vote.get_by_label(rating, exact=True).check()
        vote.get_by_role("button", name="Vote").click()
        page.wait_for_url(f"**{draw.get_absolute_url()}")
    expect(page.get_by_role("status")).to_have_text(
        "Approved. The money is reserved for this request."
    )
    expect(page.locator("main")).to_contain_text("Alpha Union")
    assert Draw.objects.get().state == DrawState.RESERVED

    # The second steward pays it out, in full by default.
    payment = page.locator("form", has=page.get_by_role("button", name="Book the payment"))
    expect(payment.get_by_label("Amount paid out")).to_have_value("300.00")
    payment.get_by_role("button", name="Book the payment").click()
    expect(page.get_by_role("status")).to_have_text("The payment is booked.")
    assert Draw.objects.get().state == DrawState.PAID

    # The coordinator reports back, then reads the page in Arabic.
    coordinator.goto(draw.get_absolute_url())
    report = coordinator.locator(
        "form", has=coordinator.get_by_role("button", name="Send the report")
    )
    report.get_by_label("How the money was used").fill("Rent for forty families, one month.")
    report.get_by_role("button", name="Send the report").click()
    expect(coordinator.get_by_role("status")).to_have_text(
        "Thank you. Your report is with the network."
    )
    expect(coordinator.locator("main")).to_contain_text("Rent for forty families, one month.")
    fits_a_phone(coordinator)
    assert Draw.objects.get().reports.count() == 1

    coordinator.locator("footer").get_by_role("button", name="العربية").click()
    coordinator.wait_for_load_state()
    expect(coordinator.locator("html")).to_have_attribute("dir", "rtl")
    expect(coordinator.locator("html")).to_have_attribute("lang", "ar")
    fits_a_phone(coordinator)
    coordinator.goto(f"/funds/{fund.slug}/draws/new/")
    expect(coordinator.locator("html")).to_have_attribute("dir", "rtl")
    fits_a_phone(coordinator)
