"""The archive's journeys in Chromium: a member adds a testimony and follows its mention to
the entity; a researcher judges a suggested match and withdraws the judgement; a member
opens the cross-reference and a group's evidence and pay; a member searches a Portuguese
testimony in Portuguese. Then the archive's pages on a phone, in English and Arabic."""

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.urls import reverse
from playwright.sync_api import expect

from internationale.archive import actions
from internationale.archive.models import Testimony as SavedTestimony
from internationale.core.money import Money
from internationale.core.tests.test_browser_shell import PHONE, axe_problems
from internationale.network import actions as network_actions

pytestmark = pytest.mark.browser

OBSERVED = date(2026, 3, 1)


@pytest.fixture
def archive(world: dict[str, Any]) -> dict[str, Any]:
    """Corvane's group as both organizations of the network know it: Alpha records that the
    holding owns its German and Turkish companies and what the German one pays; Beta
    records what the Turkish one pays and a testimony, in Portuguese, that names it."""
    member, outsider, network = world["member"], world["outsider"], world["network"]

    def entity(name: str, country: str) -> Any:
        return actions.save_entity(
            member,
            network=network,
            fields=actions.EntityFields(name=name, countries=[country]),
        )

    holding = entity("Corvane Holding SE", "LU")
    germany = entity("Corvane Logistics GmbH", "DE")
    turkey = entity("Corvane Lojistik A.Ş.", "TR")
    for subsidiary in (germany, turkey):
        actions.record_link(
            member,
            network=network,
            organization=world["alpha"],
            link=actions.LinkFields(
                kind="owns",
                source=holding,
                target=subsidiary,
                evidence="Annual report 2025, list of subsidiaries.",
                visibility="network",
            ),
        )
    for author, organization, wage in (
        (
            member,
            world["alpha"],
            actions.Wage(
                employer=germany,
                country="DE",
                city="Hamburg",
                job="picker",
                pay="14.50",
                currency="EUR",
                period="hour",
                hours="1",
                observed_on=OBSERVED,
                visibility="network",
            ),
        ),
        (
            outsider,
            world["beta"],
            actions.Wage(
                employer=turkey,
                country="TR",
                city="Gaziantep",
                job="loader",
                pay="22000",
                currency="TRY",
                period="month",
                hours="225",
                observed_on=OBSERVED,
                visibility="network",
            ),
        ),
    ):
        actions.record_wage(author, network=network, organization=organization, wage=wage)
    for amount, common in (
        (Money(100, "EUR"), Money(108, "USD")),
        (Money(100, "TRY"), Money(3, "USD")),
    ):
        actions.record_rate(member, network=network, on=OBSERVED, amount=amount, common=common)
    testimony = actions.record_testimony(
        outsider,
        network=network,
        organization=world["beta"],
        testimony=actions.TestimonyFields(
            title="Greve no depósito",
            speaker="Empilhadeira",
            language="pt",
            text=(
                "Na Corvane Lojistik A.Ş. os trabalhadores do depósito entraram em greve "
                "por salários melhores.\n\nTrabalhamos doze horas por dia sem pausa."
            ),
            consent="network",
            visibility="network",
        ),
    )
    return {"holding": holding, "germany": germany, "turkey": turkey, "testimony": testimony}


def test_a_testimony_s_mention_leads_to_the_entity_and_back(
    new_page: Callable[..., Any], world: dict[str, Any], archive: dict[str, Any], log_in: Any
) -> None:
    page = new_page()
    log_in(page, world["member"])
    page.goto(reverse("archive:home", args=[world["network"].slug]))
    page.get_by_role("link", name="Add a testimony").click()
    form = page.locator("main form")
    form.get_by_label("Title").fill("Heat under the roof")
    form.get_by_label("Speaker's pseudonym").fill("Gull")
    form.get_by_label("Language").select_option("en")
    form.get_by_label("Testimony").fill(
        "It is forty degrees in the warehouse of Corvane Logistics GmbH in summer."
    )
    form.get_by_label("The speaker consented to share it with").select_option("network")
    form.get_by_label("Who can see it").select_option("network")
    form.get_by_role("button", name="Save the testimony").click()
    expect(page.get_by_role("status")).to_contain_text("Testimony saved.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Heat under the roof")
    testimony = SavedTestimony.objects.get(title="Heat under the roof")

    mention = page.locator(".testimony a.mention")
    expect(mention).to_have_count(1)
    expect(mention).to_have_text("Corvane Logistics GmbH")
    mention.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Corvane Logistics GmbH")
    assert page.url.endswith(reverse("archive:entity", args=[archive["germany"].pk]))
    mentioned_in = page.locator("#mentions + ul")
    expect(mentioned_in).to_contain_text("Heat under the roof")
    mentioned_in.get_by_role("link", name="Heat under the roof").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Heat under the roof")
    assert page.url.endswith(reverse("archive:testimony", args=[testimony.pk]))


def test_a_coordinator_judges_a_suggested_group_and_withdraws_the_judgement(
    new_page: Callable[..., Any], world: dict[str, Any], log_in: Any
) -> None:
    for name, country in (("Corvane Logistics GmbH", "DE"), ("Corvane Lojistik A.Ş.", "TR")):
        actions.save_entity(
            world["member"],
            network=world["network"],
            fields=actions.EntityFields(name=name, countries=[country]),
        )
    page = new_page()
    log_in(page, world["coordinator"])
    page.goto(reverse("archive:home", args=[world["network"].slug]))
    page.get_by_role("navigation", name="Archive").get_by_role("link", name="Matches").click()
    levels = page.get_by_role("navigation", name="Level")
    levels.get_by_role("link", name="The same corporate group").click()
    expect(levels.locator("[aria-current=page]")).to_have_text("The same corporate group")

    pair = (
        page.locator(".suggestion")
        .filter(has_text="Corvane Logistics GmbH")
        .filter(has_text="Corvane Lojistik A.Ş.")
    )
    expect(pair).to_have_count(1)
    pair.get_by_role("button", name="Same").click()
    expect(page.get_by_role("status")).to_contain_text("Judgement saved.")
    expect(levels.locator("[aria-current=page]")).to_have_text("The same corporate group")
    expect(pair).to_have_count(0)
    judgements = page.locator("h2:text-is('Judgements') + ul > li")
    expect(judgements).to_have_count(1)
    expect(judgements).to_contain_text("Corvane Logistics GmbH / Corvane Lojistik A.Ş.")
    expect(judgements.locator("strong")).to_have_text("same")

    judgements.get_by_role("button", name="Withdraw").click()
    expect(page.get_by_role("status")).to_contain_text("Judgement withdrawn.")
    expect(page.locator("h2:text-is('Judgements') + ul")).to_have_text("No judgement yet.")
    expect(pair).to_have_count(1)


def test_the_cross_reference_shows_a_group_two_organizations_name_with_its_evidence_and_pay(
    new_page: Callable[..., Any], world: dict[str, Any], archive: dict[str, Any], log_in: Any
) -> None:
    page = new_page()
    log_in(page, world["member"])
    page.goto(reverse("archive:home", args=[world["network"].slug]))
    page.get_by_role("link", name="The whole cross-reference").click()
    card = page.locator(".groups > li", has=page.get_by_role("heading", name="Corvane Holding SE"))
    expect(card).to_contain_text("2 organizations")
    expect(card).to_contain_text("Alpha Union")
    expect(card).to_contain_text("Beta Collective")
    card.get_by_role("link", name="Evidence and pay").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Corvane Holding SE")
    for heading in ("Wage records", "Links", "Testimonies"):
        expect(page.get_by_role("heading", level=3, name=heading)).to_be_visible()
    testimonies = page.locator("h3:text-is('Testimonies') + ul")
    expect(testimonies.get_by_role("link", name="Greve no depósito")).to_be_visible()
    expect(testimonies).to_contain_text("Beta Collective")
    wages = page.locator("h3:text-is('Wage records') + ul > li")
    expect(wages).to_have_count(2)
    links = page.locator("h3:text-is('Links') + ul > li")
    expect(links).to_have_count(2)
    expect(links.first).to_contain_text("Annual report 2025")

    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(2)
    # Best paid first, in the network's common currency at the rate of the record's date.
    expect(rows.nth(0)).to_contain_text("Hamburg")
    expect(rows.nth(0)).to_contain_text("15.66")
    expect(rows.nth(0)).to_contain_text("Alpha Union")
    expect(rows.nth(1)).to_contain_text("Gaziantep")
    expect(rows.nth(1)).to_contain_text("2.93")
    expect(rows.nth(1)).to_contain_text("Beta Collective")


def test_a_member_searches_a_portuguese_testimony_in_portuguese(
    new_page: Callable[..., Any], world: dict[str, Any], archive: dict[str, Any], log_in: Any
) -> None:
    page = new_page()
    log_in(page, world["member"])
    page.goto(reverse("archive:search", args=[world["network"].slug]))
    page.locator("footer").get_by_role("button", name="Português").click()
    page.wait_for_load_state()
    expect(page.locator("html")).to_have_attribute("lang", "pt")
    expect(page.locator("footer button[aria-current]")).to_have_attribute("value", "pt")

    search = page.locator("main form[role=search]")
    # SQLite's index drops diacritics; PostgreSQL's 'simple' configuration keeps them.
    search.locator("input[name=q]").fill(
        "salarios" if connection.vendor == "sqlite" else "salários"
    )
    search.get_by_role("button").click()
    hits = page.locator(".hits > li")
    expect(hits).to_have_count(1)
    expect(hits.locator("mark")).to_have_text("salários")
    expect(hits.get_by_role("link", name="Greve no depósito")).to_be_visible()
    # Labels the Portuguese catalogue already holds, and names from CLDR.
    expect(hits.locator(".tag")).to_have_text("depoimento")
    expect(hits).to_contain_text("português")
    expect(hits).to_contain_text("Brasil")
    expect(page.get_by_role("navigation", name="Acervo").first).to_be_visible()
    expect(page.locator("label[for=id_language]")).to_contain_text("Idioma")
    expect(page.get_by_role("heading", level=1)).to_have_text("Buscar no acervo")
    expect(page.get_by_role("link", name="Cruzamento de dados")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "pt")

    hits.get_by_role("link", name="Greve no depósito").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Greve no depósito")
    assert page.url.endswith(reverse("archive:testimony", args=[archive["testimony"].pk]))


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_archive_pages_fit_a_phone_in_either_direction(
    new_page: Callable[..., Any],
    world: dict[str, Any],
    archive: dict[str, Any],
    log_in: Any,
    language: str,
) -> None:
    translation = actions.save_translation(
        world["translator"],
        item=archive["testimony"],
        language="ar",
        title="إضراب في المستودع",
        text="في شركة Corvane Lojistik A.Ş. أضرب عمال المستودع من أجل أجور أفضل.",
    )
    network_actions.set_language(world["member"], language=language)
    page = new_page(language=language, viewport=PHONE)
    log_in(page, world["member"])
    network = world["network"].slug
    testimony = reverse("archive:testimony", args=[archive["testimony"].pk])
    problems = []
    for url in (
        reverse("archive:cross-reference", args=[network]),
        reverse("archive:group", args=[archive["holding"].pk]),
        testimony,
        f"{testimony}?language={translation.language}",
        reverse("archive:entity", args=[archive["turkey"].pk]),
        reverse("archive:search", args=[network]) + "?q=greve",
    ):
        response = page.goto(url)
        assert response is not None, url
        assert response.status == 200, f"{url}: {response.status}"
        assert page.evaluate("document.documentElement.dir") == (
            "rtl" if language == "ar" else "ltr"
        )
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{url} is {width} px wide"
        problems += axe_problems(page, url)
    assert problems == [], "\n".join(problems)
