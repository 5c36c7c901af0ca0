"""axe-core scans of the reader pages, in light and in dark mode."""

from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from tests.browser.support.axe import assert_accessible, describe
from tests.browser.support.pages import background_rgb, luminance

pytestmark = pytest.mark.browser


def reader_pages(site) -> dict[str, str]:
    return {
        "home": "/",
        "section": site.news_path,
        "article": site.article_path,
        "tag page": f"/tags/{quote(site.tag_slug)}/",
        "author page": site.author_path,
        "search results": f"/search/?q={quote('النقل')}",
    }


def scan_all(page, pages: dict[str, str]) -> list[str]:
    """Scan every page and collect all failures, so one run shows every problem at once."""
    failures, notes = [], []
    for label, path in pages.items():
        page.goto(path)
        try:
            milder = assert_accessible(page, label)
        except AssertionError as error:
            failures.append(str(error))
        else:
            if milder:
                notes.append(f"{label}:\n{describe(milder)}")
    if notes:
        print("axe-core, moderate or minor findings (not failing):\n" + "\n".join(notes))
    return failures


def test_reader_pages_have_no_serious_accessibility_problems(page, reader_site):
    failures = scan_all(page, reader_pages(reader_site))
    assert not failures, "\n\n".join(failures)


def test_home_and_article_are_accessible_on_a_phone(new_context, reader_site):
    page = new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True).new_page()
    failures = scan_all(page, {"home (phone)": "/", "article (phone)": reader_site.article_path})
    assert not failures, "\n\n".join(failures)


def test_dark_mode_follows_the_system_setting_and_stays_accessible(new_context, reader_site):
    light = new_context(color_scheme="light").new_page()
    dark = new_context(color_scheme="dark").new_page()
    for path in ("/", reader_site.article_path):
        light.goto(path)
        dark.goto(path)
        light_background, dark_background = background_rgb(light), background_rgb(dark)
        assert light_background != dark_background, f"{path}: the background does not change in dark mode ({light_background})"
        assert luminance(dark_background) < 0.2 < luminance(light_background), (
            f"{path}: expected a dark background in dark mode and a light one otherwise, "
            f"got {dark_background} and {light_background}"
        )

    pages = reader_pages(reader_site)
    failures = scan_all(dark, {f"{label} (dark)": pages[label] for label in ("home", "section", "article")})
    assert not failures, "\n\n".join(failures)


def test_not_found_page_is_arabic_and_accessible(page, reader_site, watcher):
    response = page.goto("/no-such-page/")
    assert response.status == 404
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    expect(page.locator("h1")).to_have_text("الصفحة غير موجودة")
    expect(page.get_by_role("link", name="الصفحة الرئيسية")).to_be_visible()
    assert_accessible(page, "not found page")
    # The 404 itself is what this test asked for; anything else the page reported is a fault.
    watcher.problems[:] = [problem for problem in watcher.problems if "/no-such-page/" not in problem]
