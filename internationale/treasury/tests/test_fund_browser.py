"""The fund's main journey in Chromium: a coordinator pledges, a steward records money
against the pledge, and every member sees it on the fund's page, in English and in Arabic,
on a phone too."""

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from internationale.core.tests.test_browser_shell import PHONE, axe_problems
from internationale.network import actions as network_actions
from internationale.treasury.models import Contribution, Pledge
from internationale.treasury.tests.world import fund_world

pytestmark = pytest.mark.browser


@pytest.fixture
def fund(world: dict[str, Any]) -> Any:
    return fund_world(world)["fund"]


def test_a_pledge_and_the_money_that_arrives_for_it(
    new_page: Any, world: dict[str, Any], fund: Any, log_in: Any
) -> None:
    coordinator = new_page()
    log_in(coordinator, world["coordinator"])
    coordinator.goto(fund.get_absolute_url())
    coordinator.get_by_role("link", name="Make a pledge").click()
    expect(coordinator.get_by_role("heading", level=1)).to_have_text("Make a pledge")
    coordinator.get_by_label("Share of income, in percent").fill("2.5")
    coordinator.get_by_label("Period:", exact=True).select_option("month")
    coordinator.get_by_label("Declared income per period").fill("1000")
    start = (timezone.localdate() - timedelta(days=70)).isoformat()
    coordinator.get_by_label("First period starts").fill(start)
    coordinator.get_by_role("button", name="Make the pledge").click()
    coordinator.wait_for_url(f"**{fund.get_absolute_url()}")
    expect(coordinator.get_by_role("status")).to_contain_text("The pledge is made.")
    pledges = coordinator.locator("#pledges")
    expect(pledges).to_contain_text("Alpha Union")
    expect(pledges).to_contain_text("late")
    pledge = Pledge.objects.get(fund=fund)
    assert pledge.basis_points == 250

    steward = new_page()
    log_in(steward, world["steward"])
    steward.goto(fund.get_absolute_url())
    steward.get_by_role("link", name="Record a contribution").click()
    steward.get_by_label("From which organization").select_option(label="Alpha Union")
    steward.get_by_label("Amount:", exact=True).fill("25.00")
    steward.get_by_label("Against a pledge").select_option(str(pledge.pk))
    steward.get_by_label("Note").fill("First month")
    steward.get_by_role("button", name="Record it").click()
    steward.wait_for_url(f"**{fund.get_absolute_url()}")
    expect(steward.get_by_role("status")).to_contain_text("Recorded in the ledger.")

    [contribution] = Contribution.objects.filter(fund=fund)
    assert (contribution.pledge, contribution.transfer.amount) == (pledge, 2500)

    coordinator.reload()
    row = coordinator.locator("#pledges tbody tr", has_text="Alpha Union")
    expect(row).to_contain_text("$25.00")
    expect(coordinator.get_by_role("cell", name="$25.00").first).to_be_visible()
    coordinator.get_by_role("link", name="Ledger", exact=True).click()
    expect(coordinator.locator("main table")).to_contain_text("First month")


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_fund_pages_fit_a_phone_in_either_direction(
    new_page: Any, world: dict[str, Any], fund: Any, log_in: Any, language: str
) -> None:
    from internationale.treasury import actions

    actions.record_contribution(
        world["steward"],
        fund=fund,
        organization=world["beta"],
        amount="1250.00",
        currency="USD",
        received_on=timezone.localdate(),
        key="k1",
        note="A long note about the contribution that was made by the collective",
    )
    network_actions.set_language(world["steward"], language=language)
    page = new_page(viewport=PHONE)
    log_in(page, world["steward"])
    problems = []
    for path in (
        fund.get_absolute_url(),
        reverse("treasury:ledger", args=[fund.slug]),
        reverse("treasury:new-contribution", args=[fund.slug]),
        reverse("treasury:rules", args=[fund.slug]),
    ):
        response = page.goto(path)
        assert response is not None, path
        assert response.status == 200, path
        html = page.locator("html")
        expect(html).to_have_attribute("lang", language)
        expect(html).to_have_attribute("dir", "rtl" if language == "ar" else "ltr")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            problems.append(f"{path}: {width} px wide")
        problems += axe_problems(page, path)
    assert not problems, "\n".join(problems)
