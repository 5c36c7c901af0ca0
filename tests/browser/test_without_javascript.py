"""With JavaScript off the site still works: «show more» is a plain link to the next page."""

import re

import pytest
from playwright.sync_api import expect

from akhbar.news.listings import PAGE_SIZE
from tests.browser.support.pages import CARDS, SHOW_MORE, card_paths, path_of

pytestmark = pytest.mark.browser


def test_show_more_navigates_to_the_next_page_without_javascript(new_context, reader_site):
    page = new_context(java_script_enabled=False).new_page()
    page.goto(reader_site.news_path)
    first_page = card_paths(page)
    assert len(first_page) == PAGE_SIZE

    page.locator(SHOW_MORE).click()
    expect(page).to_have_url(re.compile(r"[?&]before="))
    assert path_of(page.url) == path_of(reader_site.news_path)
    second_page = card_paths(page)
    assert len(second_page) == PAGE_SIZE, f"the next page should hold a full batch, got {len(second_page)}"
    assert not set(first_page) & set(second_page), "the next page repeats cards from the first"

    page.locator(SHOW_MORE).click()
    third_page = card_paths(page)
    assert third_page and not set(third_page) & (set(first_page) | set(second_page))
    expect(page.locator(SHOW_MORE)).to_have_count(0)


def test_article_reads_fully_without_javascript(new_context, reader_site):
    page = new_context(java_script_enabled=False).new_page()
    page.goto(reader_site.article_path)
    expect(page.locator("article.article h1")).to_have_text(reader_site.article_title)
    expect(page.locator("nav.breadcrumb")).to_be_visible()
    expect(page.locator("section.tags-box a[rel=tag]")).to_have_count(2)
    assert page.locator("iframe").count() == 0, "no third-party frame may load without the reader's click"
