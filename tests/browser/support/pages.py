"""Small readers of page state shared by the browser tests."""

from urllib.parse import unquote, urlsplit

from playwright.sync_api import Page

CARDS = "ol.article-list li.card"
SHOW_MORE = "a.show-more[data-show-more]"


def path_of(url: str) -> str:
    return unquote(urlsplit(url).path)


def card_paths(page: Page) -> list[str]:
    """The article each card links to, in order (the first link of a card is its article)."""
    hrefs = page.locator(CARDS).evaluate_all("cards => cards.map(card => card.querySelector('a[href]')?.href || '')")
    return [path_of(href) for href in hrefs]


def focused_element(page: Page) -> dict:
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            const box = el ? el.getBoundingClientRect() : {top: NaN, bottom: NaN};
            return {
                isBody: !el || el === document.body || el === document.documentElement,
                id: el ? el.id : '',
                tag: el ? el.tagName.toLowerCase() : '',
                html: el ? el.outerHTML.slice(0, 160) : '',
                top: box.top,
                bottom: box.bottom,
                viewportHeight: window.innerHeight,
                inCard: !!(el && el.closest('li.card')),
                cardIndex: el && el.closest('li.card')
                    ? Array.from(document.querySelectorAll('ol.article-list li.card')).indexOf(el.closest('li.card'))
                    : -1,
            };
        }"""
    )


def background_rgb(page: Page) -> tuple[int, int, int]:
    """The colour a reader sees behind the text (body's, or html's when body is transparent), as sRGB.

    Painted on a canvas so any CSS colour syntax (rgb, oklch, color-mix …) comes back as numbers.
    """
    return tuple(
        page.evaluate(
            """() => {
                let colour = getComputedStyle(document.body).backgroundColor;
                if (colour === 'transparent' || colour === 'rgba(0, 0, 0, 0)') {
                    colour = getComputedStyle(document.documentElement).backgroundColor;
                }
                const canvas = document.createElement('canvas');
                canvas.width = canvas.height = 1;
                const context = canvas.getContext('2d');
                context.fillStyle = '#fff';
                context.fillRect(0, 0, 1, 1);
                context.fillStyle = colour;
                context.fillRect(0, 0, 1, 1);
                return Array.from(context.getImageData(0, 0, 1, 1).data.slice(0, 3));
            }"""
        )
    )


def luminance(rgb: tuple[int, int, int]) -> float:
    """Relative luminance as WCAG defines it: 0 for black, 1 for white."""

    def channel(value: int) -> float:
        share = value / 255
        return share / 12.92 if share <= 0.03928 else ((share + 0.055) / 1.055) ** 2.4

    red, green, blue = rgb
    return 0.2126 * channel(red) + 0.7152 * channel(green) + 0.0722 * channel(blue)
