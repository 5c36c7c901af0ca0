"""Third-party embeds load nothing until the reader asks: a click turns the facade into the frame."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.site_data import EMBED_URL

pytestmark = pytest.mark.browser

FRAME_PREFIX = "https://www.youtube-nocookie.com/embed/"
VIDEO_ID = EMBED_URL.rsplit("=", 1)[1]


def test_embed_loads_the_provider_only_after_a_click(page, reader_site, watcher):
    page.goto(reader_site.article_path)
    page.wait_for_load_state("networkidle")
    assert page.locator("iframe").count() == 0, "an embed frame was created before the reader asked for it"
    assert watcher.external_requests == [], f"the page contacted other hosts on its own: {watcher.external_requests}"

    # The provider's answer is faked locally: the test checks the request, not YouTube.
    watcher.allow_external(lambda url: url.startswith(FRAME_PREFIX))
    play = page.locator("[data-embed-frame] button")
    expect(play).to_be_visible()
    expect(play).to_have_accessible_name(re.compile(r"\S"))
    play.focus()
    page.keyboard.press("Enter")

    frame = page.locator("figure iframe")
    expect(frame).to_have_count(1)
    assert (frame.get_attribute("src") or "").startswith(FRAME_PREFIX + VIDEO_ID)
    assert frame.get_attribute("title"), "the embed frame needs a title for screen readers"
    expect(frame).to_be_focused()
    page.wait_for_load_state("networkidle")
    assert any(url.startswith(FRAME_PREFIX + VIDEO_ID) for url in watcher.answered_locally), (
        "the frame did not request the provider's player after the click"
    )
