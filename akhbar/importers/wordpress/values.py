"""Small conversions of WordPress values shared by posts, pages and comments."""

import datetime as dt
import zoneinfo

from bs4 import BeautifulSoup

from ..records import clean_text


def parse_date(gmt: str, local: str, zone: zoneinfo.ZoneInfo) -> dt.datetime | None:
    """WordPress writes 'YYYY-MM-DD HH:MM:SS' in UTC and in the site's time; drafts have a GMT of zeros."""
    for value, tz in ((gmt, dt.UTC), (local, zone)):
        if not value or value.startswith("0000"):
            continue
        try:
            return dt.datetime.strptime(value[:19], "%Y-%m-%d %H:%M:%S").replace(tzinfo=tz)
        except ValueError:
            continue
    return None


def plain_text(html: str) -> str:
    """Text of a bit of WordPress HTML (an excerpt, a comment): tags dropped, entities decoded."""
    if "<" not in html and "&" not in html:
        return clean_text(html)
    soup = BeautifulSoup(html, "html.parser")
    for element in soup.find_all(["script", "style"]):
        element.decompose()
    for element in soup.find_all(["br", "p", "div", "li", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6"]):
        element.insert_after("\n")  # only block ends break lines; <em> inside a sentence does not
    return clean_text(soup.get_text(""))
