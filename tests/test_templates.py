"""Reader pages as a reader gets them: article, section with «show more», tag, author and home pages."""

import datetime as dt
import io
import re

import pytest
from bs4 import BeautifulSoup
from django.core.files.images import ImageFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Site

from tests.factories import make_article, make_author, make_section

pytestmark = pytest.mark.django_db


def soup(response) -> BeautifulSoup:
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content.decode(), "html.parser")


def texts(elements) -> list[str]:
    return [" ".join(el.get_text(" ", strip=True).split()) for el in elements]


def make_image(title: str = "صورة", size=(1600, 900)):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, (120, 30, 30)).save(buffer, "PNG")
    return get_image_model().objects.create(title=title, file=ImageFile(buffer, name="photo.png"))


def regional(**fields):
    """Change the default site's RegionalSettings (time zone, month style, digits, Hijri adjustment)."""
    from akhbar.core.models import RegionalSettings

    settings = RegionalSettings.for_site(Site.objects.get(is_default_site=True))
    for name, value in fields.items():
        setattr(settings, name, value)
    settings.save()
    return settings


QUOTE = {"text": "لن نتراجع عن الإصلاحات.", "speaker": "سمير الحداد", "role": "وزير المالية"}


@pytest.fixture
def article(news_tree):
    author = make_author("ليلى منصور", slug="layla")
    return make_article(
        news_tree["world"],
        "الحكومة تعلن خطة جديدة",
        kicker="عاجل",
        tags=["تونس", "اقتصاد"],
        authors=[author],
        source_name="روسيا اليوم",
        source_url="https://arabic.rt.com/news/1/",
        published_at=dt.datetime(2025, 2, 28, 22, 30, tzinfo=dt.UTC),  # 1 March 01:30 in Riyadh
        body=[
            ("paragraph", "<p>أعلنت الحكومة اليوم خطة جديدة.</p>"),
            ("subheading", "تفاصيل الخطة"),
            ("quotation", QUOTE),
            ("embed", {"url": "https://www.youtube.com/watch?v=dQw4w9WgXcQ", "title": "المؤتمر الصحفي"}),
        ],
    )


def test_article_breadcrumb_runs_from_home_through_its_sections_in_order(client, article):
    page = soup(client.get(article.url))
    crumbs = page.select("nav.breadcrumb ol li a")
    assert texts(crumbs) == ["الرئيسية", "أخبار", "أخبار حول العالم"]
    assert [a["href"] for a in crumbs] == ["/", "/news/", "/news/world/"]
    assert page.select_one("nav.breadcrumb")["aria-label"]


def test_article_shows_title_kicker_authors_and_reading_time(client, article):
    page = soup(client.get(article.url))
    root = page.select_one("article.article")
    assert root.select_one("h1").get_text(strip=True) == "الحكومة تعلن خطة جديدة"
    assert root.select_one(".kicker").get_text(strip=True) == "عاجل"
    author = root.select_one(".byline a")
    assert author.get_text(strip=True) == "ليلى منصور" and author["href"] == "/authors/layla/"
    assert root.select_one(".reading-time").get_text(strip=True) == "مدة القراءة: دقيقة واحدة"


def test_reading_time_uses_arabic_plural_forms_and_site_digits(client, news_tree):
    from akhbar.core.models import RegionalSettings
    from wagtail.models import Site

    words = " ".join(["كلمة"] * (180 * 7))
    long_read = make_article(news_tree["world"], body=[("paragraph", f"<p>{words}</p>")], lede="")
    assert soup(client.get(long_read.url)).select_one(".reading-time").get_text(strip=True) == "مدة القراءة: 7 دقائق"
    regional = RegionalSettings.for_site(Site.objects.get(is_default_site=True))
    regional.digits = "arab"
    regional.save()
    assert soup(client.get(long_read.url)).select_one(".reading-time").get_text(strip=True) == "مدة القراءة: ٧ دقائق"


def test_article_tags_box_links_each_tag_to_its_page(client, article):
    box = soup(client.get(article.url)).select_one("section.tags-box")
    assert box.select_one("h2").get_text(strip=True) == "الوسوم"
    links = box.select("a[rel=tag]")
    assert sorted(texts(links)) == sorted(["تونس", "اقتصاد"])
    for link in links:
        assert client.get(link["href"]).status_code == 200


def test_related_topics_list_other_articles_by_shared_tag(client, article, news_tree):
    page = soup(client.get(article.url))
    related = page.select_one("section.related")
    assert related.select_one("h2").get_text(strip=True) == "موضوعات متعلقة"
    titles = texts(related.select("li.card .card__title"))
    tunisia = [a.title for a in news_tree["articles"][:3]]  # tagged تونس in the fixture
    assert titles[:3] == sorted(tunisia, key=lambda t: int(t.split()[-1]))
    assert article.title not in titles


def test_dates_follow_the_sites_regional_settings(client, article):
    page = soup(client.get(article.url))
    time = page.select_one("article.article time")
    assert time["datetime"] == "2025-03-01T01:30+03:00"
    assert time.get_text(strip=True) == "السبت 1 مارس 2025، 01:30"
    assert page.select_one(".hijri-date").get_text(strip=True) == "1 رمضان 1446 هـ"

    regional(month_style="levantine", digits="arab", hijri_adjustment=1, time_zone="Europe/London")
    page = soup(client.get(article.url))
    time = page.select_one("article.article time")
    assert time["datetime"] == "2025-02-28T22:30+00:00"
    assert time.get_text(strip=True) == "الجمعة ٢٨ شباط ٢٠٢٥، ٢٢:٣٠"
    assert page.select_one(".hijri-date").get_text(strip=True) == "١ رمضان ١٤٤٦ هـ"  # 29 شعبان + 1
    assert page.select_one(".reading-time").get_text(strip=True) == "مدة القراءة: دقيقة واحدة"


def test_january_is_written_in_the_chosen_tradition(client, news_tree):
    article = make_article(news_tree["sport"], published_at=dt.datetime(2026, 1, 11, 9, tzinfo=dt.UTC))
    assert "11 يناير 2026" in soup(client.get(article.url)).select_one("article.article time").get_text()
    regional(month_style="levantine")
    assert "11 كانون الثاني 2026" in soup(client.get(article.url)).select_one("article.article time").get_text()
    regional(month_style="maghrebi", digits="arab")
    assert "١١ جانفي ٢٠٢٦" in soup(client.get(article.url)).select_one("article.article time").get_text()


def test_quotation_is_a_blockquote_attributed_to_its_speaker(client, article):
    figure = soup(client.get(article.url)).select_one("article.article figure.quotation")
    assert figure.select_one("blockquote").get_text(strip=True) == QUOTE["text"]
    assert figure.select_one("figcaption cite").get_text(strip=True) == QUOTE["speaker"]
    assert QUOTE["role"] in figure.select_one("figcaption").get_text()


def test_subheading_is_a_second_level_heading(client, article):
    assert "تفاصيل الخطة" in texts(soup(client.get(article.url)).select(".article__body h2"))


def test_source_line_names_and_links_the_source(client, article):
    line = soup(client.get(article.url)).select_one(".source-line")
    assert " ".join(line.get_text().split()) == "وفقًا لـ روسيا اليوم"
    link = line.select_one("a")
    assert link["href"] == "https://arabic.rt.com/news/1/"
    assert set(link["rel"]) == {"nofollow", "noopener"}


def test_source_without_address_is_plain_text_and_no_source_means_no_line(client, news_tree):
    named = make_article(news_tree["sport"], source_name="وكالة الأنباء")
    line = soup(client.get(named.url)).select_one(".source-line")
    assert "وكالة الأنباء" in line.get_text() and line.select_one("a") is None
    assert soup(client.get(news_tree["articles"][0].url)).select_one(".source-line") is None


def test_embed_loads_nothing_from_the_provider_until_clicked(client, article):
    response = client.get(article.url)
    html = response.content.decode()
    assert "<iframe" not in html
    page = soup(response)
    for element in page.select("[src]"):
        assert element["src"].startswith("/"), element  # every resource is on this site
    facade = page.select_one("figure.embed [data-embed-frame]")
    assert facade["data-embed-frame"] == "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1"
    assert facade.select_one("button[type=button]") is not None
    assert page.select_one("figure.embed figcaption a")["href"] == "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    assert page.select_one('script[src$="embed.js"]') is not None


def test_embed_from_an_unknown_provider_is_only_a_link(client, news_tree):
    article = make_article(news_tree["sport"], body=[("embed", {"url": "https://example.org/post/9", "title": "منشور"})])
    figure = soup(client.get(article.url)).select_one("figure.embed")
    assert figure.select_one("[data-embed-frame]") is None and figure.select_one("button") is None
    assert figure.select_one("a")["href"] == "https://example.org/post/9"


def test_share_links_use_the_short_link_on_the_request_host(client, article):
    response = client.get(article.url, HTTP_HOST="127.0.0.1:8123")
    page = soup(response)
    short = f"http://127.0.0.1:8123/a/{article.pk}/"
    links = {a.get_text(strip=True): a["href"] for a in page.select("ul.share-links a")}
    encoded = "http%3A%2F%2F127.0.0.1%3A8123%2Fa%2F" + str(article.pk) + "%2F"
    assert len(links) == 5
    assert all(encoded in href for href in links.values())
    assert any(href.startswith("https://wa.me/") for href in links.values())
    assert any(href.startswith("mailto:") for href in links.values())
    assert page.select_one("ul.share-links button[data-copy-link]")["data-copy-link"] == short
    assert client.get(short.removeprefix("http://127.0.0.1:8123")).status_code == 301


def test_copy_link_announces_in_a_live_region(client, article):
    share = soup(client.get(article.url)).select_one("section.share")
    assert share.select_one('[role=status][aria-live="polite"]') is not None
    assert share.select_one("button[data-copy-link]")["data-copied-message"]


def test_back_to_top_is_a_labelled_link_to_the_top_target(client, article):
    page = soup(client.get(article.url))
    button = page.select_one("#back-to-top")
    assert button.name == "a" and button["href"] == "#top"
    assert button["aria-label"] == "زر الذهاب إلى الأعلى" == button["title"]
    assert page.select_one("#top") is not None
    assert page.select_one('script[src$="back-to-top.js"]').has_attr("defer")


def test_featured_image_has_webp_renditions_alt_and_dimensions(client, news_tree):
    article = make_article(news_tree["sport"], featured_image=make_image("ميناء الجزائر"))
    img = soup(client.get(article.url)).select_one(".article__image img")
    assert img["alt"] == "ميناء الجزائر"
    assert img["width"] == "640" and img["height"] == "360"
    assert img["src"].endswith(".webp") and "1280w" in img["srcset"]


def test_body_image_shows_caption_and_credit(client, news_tree):
    image = make_image("سوق")
    article = make_article(
        news_tree["sport"], body=[("image", {"image": image, "caption": "سوق المدينة", "credit": "تصوير: هدى"})]
    )
    figure = soup(client.get(article.url)).select_one("figure.body-image")
    assert figure.select_one("img")["loading"] == "lazy"
    assert figure.select_one(".body-image__caption").get_text() == "سوق المدينة"
    assert figure.select_one(".body-image__credit").get_text() == "تصوير: هدى"


# Section pages and «show more»


@pytest.fixture
def busy_section(news_tree):
    """28 articles in «رياضة»: 12 + 12 + 4 with the listing's page size."""
    section = news_tree["sport"]
    start = timezone.now() - dt.timedelta(days=1)
    for n in range(26):
        make_article(section, f"مباراة {n}", published_at=start - dt.timedelta(hours=n))
    return section


def card_links(page) -> list[str]:
    return [a["href"] for a in page.select("ol.article-list li.card .card__title a")]


def test_section_lists_newest_first_and_show_more_walks_every_article_once(client, busy_section):
    first = soup(client.get(busy_section.url))
    assert first.select_one("h1").get_text(strip=True) == "رياضة"
    cards = first.select("ol.article-list > li.card")
    assert len(cards) == 12
    dates = [card.select_one("time")["datetime"] for card in cards]
    assert dates == sorted(dates, reverse=True)
    more = first.select_one("a.show-more[data-show-more]")
    assert more.get_text(strip=True) == "اظهر المزيد"
    assert re.fullmatch(r"\?before=\d+-\d+", more["href"])
    assert first.select_one('script[src$="show-more.js"]').has_attr("defer")

    seen = card_links(first)
    href = more["href"]
    # Without JavaScript the link renders the whole page with the next batch.
    plain = soup(client.get(busy_section.url + href))
    assert plain.select_one("header.site-header") is not None
    assert plain.select_one("h1").get_text(strip=True) == "رياضة"
    assert plain.select_one("meta[name=robots]")["content"] == "noindex, follow"
    assert card_links(plain)[0] not in seen
    # With JavaScript the fragment holds only the cards and the next cursor.
    while href:
        fragment = soup(client.get(busy_section.url + href + "&fragment=1"))
        assert fragment.select_one("header, footer, nav, html") is None
        batch = card_links(fragment)
        assert batch and not set(batch) & set(seen)
        seen += batch
        cursor = fragment.select_one("ol.article-list")["data-next-cursor"]
        href = f"?before={cursor}" if cursor else ""
    assert len(seen) == len(set(seen)) == 28
    assert [len(seen[:12]), len(seen[12:24]), len(seen[24:])] == [12, 12, 4]


def test_last_page_has_no_show_more_link(client, news_tree):
    page = soup(client.get(news_tree["sport"].url))
    assert len(page.select("ol.article-list li.card")) == 2
    assert page.select_one("a.show-more") is None


@pytest.mark.parametrize("cursor", ["<script>", "12-x", "9" * 60, "-1-1", "99999999999999999999-1"])
def test_malformed_cursor_shows_the_first_page_not_an_error(client, news_tree, cursor):
    section = news_tree["sport"]
    assert len(soup(client.get(section.url, {"before": cursor, "fragment": "1"})).select("li.card")) == 2
    assert len(soup(client.get(section.url, {"before": cursor})).select("ol.article-list li.card")) == 2


def test_section_page_links_its_subsections_and_includes_their_articles(client, news_tree):
    page = soup(client.get(news_tree["news"].url))
    sub = page.select_one("nav.subsections")
    assert [a["href"] for a in sub.select("a")] == ["/news/world/"]
    assert len(page.select("ol.article-list li.card")) == 3  # all from «أخبار حول العالم»
    assert texts(page.select("nav.breadcrumb li")) == ["الرئيسية", "أخبار"]
    assert page.select_one("nav.breadcrumb li:last-child a")["aria-current"] == "page"


def test_empty_section_says_so(client, news_tree):
    empty = make_section(news_tree["home"], "ثقافة", slug="culture")
    page = soup(client.get(empty.url))
    assert page.select_one("ol.article-list") is None
    assert page.select_one(".listing__empty").get_text(strip=True)


def test_cards_cost_no_query_each(client, news_tree):
    """Images and sections on cards are preloaded: 2 or 8 cards with pictures render with the same queries."""
    section = make_section(news_tree["home"], "صور", slug="photos")

    def queries():
        client.get(section.url)  # first view creates the renditions
        with CaptureQueriesContext(connection) as captured:
            assert client.get(section.url).status_code == 200
        return len(captured)

    for _ in range(2):
        make_article(section, featured_image=make_image())
    few = queries()
    for _ in range(6):
        make_article(section, featured_image=make_image())
    assert queries() == few
    page = soup(client.get(section.url))
    assert all(img["src"].endswith(".webp") for img in page.select("li.card img"))


# Tag, author and home pages


def test_tag_page_lists_the_tags_articles_with_the_same_listing(client, news_tree):
    page = soup(client.get("/tags/تونس/"))
    assert page.select_one("h1").get_text(strip=True) == "تونس"
    assert sorted(card_links(page)) == sorted(a.url for a in news_tree["articles"][:3])
    assert client.get("/tags/لا-يوجد/").status_code == 404


def test_tag_page_show_more(client, news_tree):
    for n in range(13):
        make_article(news_tree["sport"], tags=["كرة"])
    page = soup(client.get("/tags/كرة/"))
    more = page.select_one("a.show-more[data-show-more]")["href"]
    rest = soup(client.get("/tags/كرة/" + more + "&fragment=1"))
    assert len(card_links(page)) == 12 and len(card_links(rest)) == 1
    assert not set(card_links(page)) & set(card_links(rest))


def test_author_page_shows_bio_and_articles(client, news_tree):
    author = make_author("خالد يوسف", slug="khaled")
    author.role = "مراسل"
    author.bio = "يغطي شؤون المغرب العربي."
    author.save()
    written = make_article(news_tree["sport"], authors=[author])
    page = soup(client.get("/authors/khaled/"))
    assert page.select_one("h1").get_text(strip=True) == "خالد يوسف"
    assert "يغطي شؤون المغرب العربي." in page.select_one(".author__bio").get_text()
    assert card_links(page) == [written.url]
    assert client.get("/authors/nobody/").status_code == 404


def test_home_has_a_lead_story_latest_news_and_a_block_per_menu_section(client, news_tree):
    page = soup(client.get("/"))
    newest = max(news_tree["articles"], key=lambda a: a.published_at)
    assert page.select_one(".home-lead li.card a")["href"] == newest.url
    assert len(page.select("li.card--lead")) == 1  # only the lead story gets the large layout
    latest = [a["href"] for a in page.select(".home-latest li.card .card__title a")]
    assert newest.url not in latest and len(latest) == 4
    blocks = page.select("section.home-section")
    assert [b.select_one("h2 a")["href"] for b in blocks] == ["/news/", "/sport/"]
    assert len(blocks[0].select("li.card")) == 3


def test_home_with_no_articles_still_renders(client, home):
    page = soup(client.get("/"))
    assert page.select_one("h1") is not None and page.select_one(".listing__empty") is not None
