"""Full-page screenshots of home and article, phone and desktop, kept as test artifacts.

They land in test-artifacts/browser/ (gitignored) for a person to look at; the test checks
only that each image was written and is not blank.
"""

import pytest
from PIL import Image

from tests.browser.conftest import DESKTOP, MOBILE

pytestmark = pytest.mark.browser

VIEWPORTS = {"mobile": MOBILE, "desktop": DESKTOP}


def assert_not_blank(path) -> None:
    with Image.open(path) as image:
        colours = image.convert("RGB").resize((64, 64)).getcolors(maxcolors=64 * 64)
    assert colours is None or len(colours) > 8, f"{path} looks blank"


def load_everything(page) -> None:
    """Make lazy images load and wait (boundedly) for them and the web font before the shot."""
    page.evaluate(
        """async () => {
            const images = Array.from(document.images);
            images.forEach(image => { image.loading = 'eager'; });
            // decode() resolves once the picture is loaded and ready to paint, even if lazy.
            const decoded = images.filter(image => image.currentSrc || image.src).map(image => image.decode().catch(() => null));
            const everything = Promise.all([...decoded, document.fonts.ready]);
            await Promise.race([everything, new Promise(resolve => setTimeout(resolve, 5000))]);
        }"""
    )


@pytest.mark.parametrize("colour_scheme", ["light", "dark"])
def test_screenshots_of_home_and_article(new_context, reader_site, artifacts_dir, colour_scheme):
    suffix = "" if colour_scheme == "light" else "-dark"
    for device, viewport in VIEWPORTS.items():
        context = new_context(
            viewport=viewport, is_mobile=device == "mobile", has_touch=device == "mobile", color_scheme=colour_scheme
        )
        page = context.new_page()
        for name, path in (("home", "/"), ("article", reader_site.article_path)):
            page.goto(path)
            load_everything(page)
            target = artifacts_dir / f"{name}-{device}{suffix}.png"
            page.screenshot(path=str(target), full_page=True, animations="disabled")
            assert_not_blank(target)
