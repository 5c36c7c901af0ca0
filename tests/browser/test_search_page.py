"""The search page in a real browser: suggestions as you type (an ARIA combobox driven from the
keyboard), the results with highlighted words, accessibility, and the same search without JavaScript."""

import re
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import MOBILE
from tests.browser.support.axe import assert_accessible
from tests.browser.support.pages import path_of

pytestmark = pytest.mark.browser

BOX = "#search-page-q"
LISTBOX = "#search-page-suggestions"
OPTIONS = f"{LISTBOX} [role=option]"


def open_search(page, path="/search/"):
    page.goto(path)
    box = page.locator(BOX)
    expect(box).to_have_attribute("role", "combobox")  # the script has taken the box over
    return box


def test_typing_shows_suggestions_of_matching_titles(page, reader_site):
    box = open_search(page)
    expect(box).to_have_attribute("aria-expanded", "false")
    box.press_sequentially("اجتما", delay=60)
    expect(page.locator(LISTBOX)).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    expect(page.locator(OPTIONS)).to_have_count(1)
    expect(page.locator(OPTIONS).first).to_contain_text(reader_site.article_title)
    expect(page.locator(OPTIONS).first.locator("mark")).to_have_text(["اجتماع"])  # the word being typed
    expect(page.locator("[data-search-status]")).to_have_text("اقتراح واحد.")
    assert box.get_attribute("aria-controls") == "search-page-suggestions"
    assert box.get_attribute("aria-autocomplete") == "list"

    # Clearing the box closes the list.
    box.fill("")
    expect(page.locator(LISTBOX)).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")


def test_suggestions_are_chosen_from_the_keyboard(page, reader_site):
    box = open_search(page)
    box.press_sequentially("نتيجة مبا", delay=40)
    options = page.locator(OPTIONS)
    expect(options).to_have_count(3)

    box.press("ArrowDown")
    first_id = options.nth(0).get_attribute("id")
    expect(box).to_have_attribute("aria-activedescendant", first_id)
    expect(options.nth(0)).to_have_attribute("aria-selected", "true")
    box.press("ArrowDown")
    expect(box).to_have_attribute("aria-activedescendant", options.nth(1).get_attribute("id"))
    expect(options.nth(0)).to_have_attribute("aria-selected", "false")
    box.press("ArrowUp")
    expect(box).to_have_attribute("aria-activedescendant", first_id)
    box.press("ArrowUp")  # from the first, up wraps to the last
    expect(box).to_have_attribute("aria-activedescendant", options.nth(2).get_attribute("id"))
    assert page.evaluate("() => document.activeElement.id") == "search-page-q", "the focus stays in the box"

    box.press("Escape")
    expect(page.locator(LISTBOX)).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")
    assert box.get_attribute("aria-activedescendant") is None
    expect(box).to_have_value("نتيجة مبا")

    box.press("ArrowDown")  # reopens the list on the first title
    expect(page.locator(LISTBOX)).to_be_visible()
    chosen = options.nth(0).locator(".search-combobox__title").inner_text()
    box.press("Enter")
    expect(page).not_to_have_url(re.compile(r"/search/"))
    expect(page.locator("article.article h1")).to_have_text(chosen)


def test_a_click_on_a_suggestion_opens_the_article(page, reader_site):
    box = open_search(page)
    box.press_sequentially("اجتما", delay=40)
    page.locator(OPTIONS).first.click()
    expect(page).to_have_url(re.compile(re.escape(reader_site.article_path) + "$"))


def test_enter_without_a_chosen_suggestion_searches(page, reader_site):
    box = open_search(page)
    box.press_sequentially("خطة النقل", delay=40)
    expect(page.locator(OPTIONS).first).to_be_visible()
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q="))
    first = page.locator(".search-result").first
    expect(first.locator(".search-result__title")).to_have_text(reader_site.article_title)
    expect(first.locator(".search-result__title mark")).to_have_text(["خطة", "النقل"])


def test_search_page_is_accessible_with_results_filters_pages_and_open_suggestions(new_context, reader_site):
    for options in ({}, {"color_scheme": "dark"}, {"viewport": MOBILE, "is_mobile": True, "has_touch": True}):
        page = new_context(**options).new_page()
        # Many results (two pages), filters open, and a notice about an unreadable date.
        open_search(page, f"/search/?q={quote('خبر العالم')}&from=not-a-date")
        expect(page.locator(".search-page__notices")).to_contain_text("ليس تاريخًا صحيحًا")
        expect(page.locator("nav.search-pagination")).to_be_visible()
        page.locator("details.search-page__filters summary").click()
        assert_accessible(page, f"search results {options}")

        box = page.locator(BOX)
        box.fill("")
        box.press_sequentially("نتيجة", delay=40)
        expect(page.locator(OPTIONS).first).to_be_visible()
        box.press("ArrowDown")
        assert_accessible(page, f"search with suggestions open {options}")

        open_search(page, f"/search/?q={quote('كلمةلاتوجدأبدا')}")
        expect(page.locator(".search-results__empty")).to_be_visible()
        assert_accessible(page, f"search without results {options}")


def test_search_works_without_javascript(new_context, reader_site):
    page = new_context(java_script_enabled=False).new_page()
    page.goto("/search/")
    box = page.locator(BOX)
    assert box.get_attribute("role") is None, "without the script the box stays a plain search field"
    box.fill("خبر")
    page.locator("details.search-page__filters summary").click()
    page.get_by_label("القسم").select_option(label="— أخبار حول العالم")
    page.locator("main form[role=search] .search-page__query button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/search/\?q="))
    results = page.locator(".search-result")
    expect(results).to_have_count(20)
    expect(page.locator(".search-results__count")).to_contain_text("الصفحة 1 من 2")
    expect(page.locator(".search-result__title mark").first).to_have_text("خبر")

    first_page = [path_of(href) for href in page.locator(".search-result__title a").evaluate_all("as => as.map(a => a.href)")]
    page.locator("nav.search-pagination a[rel=next]").click()
    expect(page).to_have_url(re.compile(r"page=2"))
    second_page = [path_of(href) for href in page.locator(".search-result__title a").evaluate_all("as => as.map(a => a.href)")]
    assert second_page and not set(first_page) & set(second_page)

    page.get_by_role("link", name="الأحدث أولًا").click()
    expect(page).to_have_url(re.compile(r"sort=newest"))
    expect(page.get_by_role("link", name="الأحدث أولًا")).to_have_attribute("aria-current", "true")
    assert page.context.cookies() == [], "the search sets no cookie"
