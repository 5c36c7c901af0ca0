"""A reader's path through the site in a real browser: home → section → «show more» → article."""

import re
from urllib.parse import quote, quote_plus

import pytest
from playwright.sync_api import Page, expect

from akhbar.news.listings import PAGE_SIZE
from tests.browser.site_data import WORLD_ARTICLES
from tests.browser.support.pages import CARDS, SHOW_MORE, card_paths, focused_element, path_of

pytestmark = pytest.mark.browser

NEWS_ARTICLES = WORLD_ARTICLES + 1  # the world section's cards plus the long article, all under أخبار
TAGGED_ARTICLES = WORLD_ARTICLES // 2 + 1  # every other world article carries تونس, and so does the long one


def open_section_from_menu(page: Page, title: str) -> None:
    page.locator("header nav").get_by_role("link", name=title, exact=True).click()


def show_more_and_wait(page: Page, expected_count: int) -> None:
    """Activate «show more» and wait until the appended cards are in the list."""
    with page.expect_response(lambda response: "fragment=1" in response.url) as fragment:
        page.locator(SHOW_MORE).click()
    assert fragment.value.ok, f"the «show more» fragment answered HTTP {fragment.value.status}"
    expect(page.locator(CARDS)).to_have_count(expected_count)


def test_reader_goes_from_home_to_a_section_shows_more_and_reads_an_article(page, reader_site):
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")

    open_section_from_menu(page, reader_site.news_title)
    expect(page).to_have_url(re.compile(r"/news/$"))
    expect(page.locator(CARDS)).to_have_count(PAGE_SIZE)
    first_batch = card_paths(page)
    show_more = page.locator(SHOW_MORE)
    expect(show_more).to_be_visible()
    assert "before=" in (show_more.get_attribute("href") or ""), "without JavaScript «show more» must be a real next-page link"

    show_more_and_wait(page, 2 * PAGE_SIZE)
    two_batches = card_paths(page)
    assert two_batches[:PAGE_SIZE] == first_batch, "the cards already shown must stay in place, in order"
    assert len(set(two_batches)) == len(two_batches), f"duplicate cards after «show more»: {two_batches}"
    assert path_of(page.url) == "/news/", f"«show more» must append in place, not navigate away (now at {page.url})"
    focus = focused_element(page)
    assert not focus["isBody"], "keyboard focus was dropped to <body> after «show more»"
    assert focus["cardIndex"] >= PAGE_SIZE or focus["html"].find("show-more") >= 0, (
        f"focus should stay on «show more» or move to the first new card, not to {focus['html']}"
    )

    show_more_and_wait(page, NEWS_ARTICLES)
    all_cards = card_paths(page)
    assert len(all_cards) == len(set(all_cards)) == NEWS_ARTICLES, "every article of the section appears exactly once"
    expect(page.locator(SHOW_MORE)).to_be_hidden()  # removed or hidden: there is nothing more to show
    focus = focused_element(page)
    assert not focus["isBody"], "after the last batch the focus must land somewhere useful, not on <body>"

    article_path = reader_site.article_path
    assert article_path in all_cards
    page.locator(CARDS).nth(all_cards.index(article_path)).locator("a[href]").first.click()
    expect(page).to_have_url(re.compile(re.escape(article_path) + "$"))
    expect(page.locator("article.article h1")).to_have_text(reader_site.article_title)

    search_box = page.get_by_role("search").first.get_by_role("searchbox")
    search_box.fill("خطة النقل")
    search_box.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q="))
    assert article_path in card_paths(page), "searching for words of a title finds that article"
    assert page.context.cookies() == [], "anonymous pages (and the search) must not set cookies: they are cached"


def test_article_shows_breadcrumb_tags_source_dates_and_related_stories(page, reader_site):
    article_path = reader_site.article_path
    page.goto(article_path)

    breadcrumb = page.locator("nav.breadcrumb")
    expect(breadcrumb).to_be_visible()
    crumbs = breadcrumb.get_by_role("link")
    crumb_paths = [path_of(href) for href in crumbs.evaluate_all("links => links.map(a => a.href)")]
    assert crumb_paths[-2:] == ["/news/", "/news/world/"], f"breadcrumb should end with the article's sections: {crumb_paths}"
    expect(breadcrumb).to_contain_text(reader_site.world_title)
    assert breadcrumb.get_attribute("aria-label"), "the breadcrumb <nav> needs a label for screen readers"

    tags = page.locator("section.tags-box a[rel=tag]")
    expect(tags).to_have_count(2)
    tag_paths = sorted(path_of(href) for href in tags.evaluate_all("links => links.map(a => a.href)"))
    assert tag_paths == ["/tags/النقل/", "/tags/تونس/"], tag_paths

    expect(page.locator("article.article .source-line")).to_contain_text("روسيا اليوم")
    expect(page.locator("article.article .hijri-date")).to_contain_text("هـ")
    expect(page.locator("article.article .reading-time")).to_be_visible()
    quotation = page.locator("article.article figure", has=page.locator("blockquote"))
    expect(quotation.locator("blockquote")).to_contain_text("حلولًا عملية")
    expect(quotation.locator("figcaption")).to_contain_text("ليلى منصور")

    related = page.locator("section.related a[href]")
    related_paths = {path_of(href) for href in related.evaluate_all("links => links.map(a => a.href)")}
    related_paths.discard(article_path)
    assert 4 <= len(related_paths) <= 6, f"related stories should list 4–6 other articles, got {sorted(related_paths)}"

    share = page.locator("ul.share-links a[href]")
    assert share.count() >= 5, "share links for WhatsApp, Telegram, X, Facebook and email are expected"

    page.locator("section.tags-box a[rel=tag]", has_text="تونس").click()
    expect(page).to_have_url(re.compile(r"/tags/"))
    assert article_path in card_paths(page), "the tag page lists the article that carries the tag"


def test_back_to_top_appears_after_scrolling_and_works_from_the_keyboard(new_context, reader_site):
    page = new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True).new_page()
    page.goto(reader_site.article_path)
    button = page.locator("#back-to-top")
    expect(button).to_be_hidden()

    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    expect(button).to_be_visible()
    assert page.evaluate("window.scrollY") > 800

    button.focus()
    page.keyboard.press("Enter")
    page.wait_for_function("() => window.scrollY === 0")
    focus = focused_element(page)
    assert not focus["isBody"] and focus["id"] != "back-to-top", (
        f"after returning to the top, focus must move to the top of the page, not stay on {focus['html']}"
    )
    assert focus["bottom"] > 0 and focus["top"] < focus["viewportHeight"], f"the focused element is off screen: {focus}"
    expect(button).to_be_hidden()


def test_show_more_appends_on_a_tag_page_too(page, reader_site):
    page.goto(f"/tags/{reader_site.tag_slug}/")
    expect(page.locator(CARDS)).to_have_count(PAGE_SIZE)
    show_more_and_wait(page, TAGGED_ARTICLES)
    cards = card_paths(page)
    assert len(set(cards)) == TAGGED_ARTICLES, f"duplicate or missing cards on the tag page: {cards}"
    expect(page.locator(SHOW_MORE)).to_be_hidden()


def test_keyboard_reader_can_skip_to_the_content_and_sees_where_focus_is(page, reader_site):
    page.goto(reader_site.article_path)
    page.keyboard.press("Tab")
    skip_link = page.locator("a[href='#main']")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_visible()
    assert skip_link.bounding_box()["height"] > 1, "the skip link must be visible when it has focus"
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()

    page.keyboard.press("Tab")
    outline = page.evaluate(
        "() => { const style = getComputedStyle(document.activeElement); return [style.outlineStyle, style.outlineWidth]; }"
    )
    assert outline[0] != "none" and outline[1] != "0px", f"keyboard focus is invisible on the first link in the content: {outline}"


def test_share_links_carry_this_hosts_short_link_and_copy_link_copies_it(new_context, reader_site):
    context = new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(reader_site.article_path)
    short_link = page.locator(".share a.share__url").get_attribute("href") or ""
    assert re.fullmatch(re.escape(reader_site.base_url) + r"/a/\d+/", short_link), (
        f"the short link must use the host the page was served from ({reader_site.base_url}), got {short_link!r}"
    )
    share_hrefs = page.locator("ul.share-links a[href]").evaluate_all("links => links.map(a => a.href)")
    for provider in ("wa.me", "t.me", "x.com", "facebook.com", "mailto:"):
        assert any(provider in href for href in share_hrefs), f"no {provider} share link in {share_hrefs}"
    assert all(quote_plus(short_link) in href or quote(short_link, safe="") in href for href in share_hrefs), share_hrefs

    page.locator("ul.share-links").get_by_role("button").click()
    expect(page.locator(".share [role=status]")).not_to_be_empty()
    assert page.evaluate("() => navigator.clipboard.readText()") == short_link
    page.goto(short_link)
    expect(page).to_have_url(re.compile(re.escape(reader_site.article_path) + "$"))
