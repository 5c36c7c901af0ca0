"""What every reader page shares: language and direction, header and footer, absolute URLs on the
request's host, error pages, no cookies, no inline code, escaping of hostile text."""

import json

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.test import Client, RequestFactory, override_settings
from django.urls import path
from wagtail.models import Site

from akhbar.navigation.models import NavigationSettings
from akhbar.news.models import SectionPage, StandardPage
from tests.factories import make_article, make_author, make_section
from tests.test_templates import soup


def _boom(request):
    raise RuntimeError("simulated failure")


def _ok(request):
    return HttpResponse("ok")


urlpatterns = [path("boom/", _boom), path("ok/", _ok)]
handler500 = "akhbar.core.views.server_error"


# Error pages


def test_500_page_is_static_arabic_and_needs_no_database():
    """No django_db mark: any database access here fails the test."""
    html = render_to_string("pages/500.html", request=RequestFactory().get("/"))
    assert '<html lang="ar" dir="rtl">' in html
    assert "عذرًا، حدث خطأ" in html
    assert "/static/css/site.css" in html


@override_settings(ROOT_URLCONF=__name__)
def test_an_unhandled_error_answers_500_with_the_arabic_page_without_touching_the_database():
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500
    assert "عذرًا، حدث خطأ" in response.content.decode()
    assert not response.cookies


@pytest.mark.django_db
def test_404_is_arabic_with_status_404_and_no_cookie(client, news_tree):
    for url in ["/no-such-page/", "/news/world/no-such-article/", "/tags/no-such-tag/", "/authors/nobody/", "/a/999999/"]:
        response = client.get(url)
        assert response.status_code == 404, url
        html = response.content.decode()
        assert '<html lang="ar" dir="rtl">' in html
        assert "الصفحة غير موجودة" in html
        assert not response.cookies


# Document shell


@pytest.mark.django_db
def test_pages_are_arabic_right_to_left_with_skip_link_and_top_target(client, news_tree):
    page = soup(client.get(news_tree["articles"][0].url))
    assert page.html["lang"] == "ar" and page.html["dir"] == "rtl"
    assert page.select_one('meta[name="viewport"]')["content"].startswith("width=device-width")
    skip = page.select_one("a.skip-link")
    assert skip["href"] == "#main" and page.select_one("#main") is not None
    assert skip.get_text(strip=True) == "انتقل إلى المحتوى"
    assert page.select_one("#top") is not None


@pytest.mark.django_db
@override_settings(LANGUAGE_CODE="en")
def test_english_is_available_and_left_to_right(client, news_tree):
    page = soup(client.get(news_tree["sport"].url))
    assert page.html["lang"] == "en" and page.html["dir"] == "ltr"
    assert page.select_one("a.skip-link").get_text(strip=True) == "Skip to content"


@pytest.mark.django_db
def test_header_menu_lists_live_top_level_menu_sections_in_tree_order(client, news_tree):
    home = news_tree["home"]
    make_section(home, "مخفي", slug="hidden", show_in_menus=False)
    draft = make_section(home, "مسودة", slug="draft")
    draft.unpublish()
    culture = make_section(home, "ثقافة", slug="culture")
    page = soup(client.get(news_tree["articles"][0].url))
    menu = page.select("header nav.site-menu a")
    assert [a.get_text(strip=True) for a in menu] == ["أخبار", "رياضة", "ثقافة"]
    assert [a["href"] for a in menu] == ["/news/", "/sport/", culture.url]
    # The article sits in أخبار › أخبار حول العالم: the top-level section is marked current.
    assert menu[0]["aria-current"] == "true" and not menu[1].has_attr("aria-current")
    assert soup(client.get("/sport/")).select_one('nav.site-menu a[href="/sport/"]')["aria-current"] == "page"


@pytest.mark.django_db
def test_header_menu_follows_publishing_moving_and_deleting_at_once(client, news_tree):
    """The menu is kept in the shared cache: every page change replaces it."""
    home = news_tree["home"]

    def menu() -> list[str]:
        return [a.get_text(strip=True) for a in soup(client.get("/")).select("header nav.site-menu a")]

    assert menu() == ["أخبار", "رياضة"]
    culture = make_section(home, "ثقافة", slug="culture")
    assert menu() == ["أخبار", "رياضة", "ثقافة"]
    sport = SectionPage.objects.get(slug="sport")
    sport.unpublish()
    assert menu() == ["أخبار", "ثقافة"]
    culture.move(SectionPage.objects.get(slug="news"), pos="last-child")
    assert menu() == ["أخبار"]
    economy = make_section(home, "اقتصاد", slug="economy")
    assert menu() == ["أخبار", "اقتصاد"]
    economy.delete()
    assert menu() == ["أخبار"]


@pytest.mark.django_db
def test_search_form_is_a_labelled_get_form_without_csrf(client, news_tree):
    page = soup(client.get("/"))
    form = page.select_one("header form[role=search]")
    assert form["method"] == "get" and form["action"] == "/search/"
    field = form.select_one("input[name=q]")
    assert page.select_one(f'label[for="{field["id"]}"]').get_text(strip=True)
    assert page.select_one('input[name="csrfmiddlewaretoken"]') is None


@pytest.mark.django_db
def test_footer_links_the_chosen_live_pages_and_shows_the_footer_text(client, news_tree):
    home = news_tree["home"]
    about = home.add_child(instance=StandardPage(title="من نحن", slug="about"))
    contact = home.add_child(instance=StandardPage(title="اتصل بنا", slug="contact"))
    privacy = home.add_child(instance=StandardPage(title="سياسة الخصوصية", slug="privacy", live=False))
    nav = NavigationSettings.for_site(Site.objects.get(is_default_site=True))
    nav.about_page, nav.contact_page, nav.privacy_page = about, contact, privacy
    nav.footer_text = "جميع الحقوق محفوظة"
    nav.save()
    footer = soup(client.get("/")).select_one("footer.site-footer")
    assert [(a.get_text(strip=True), a["href"]) for a in footer.select("nav a")] == [
        ("من نحن", "/about/"),
        ("اتصل بنا", "/contact/"),
    ]
    assert "جميع الحقوق محفوظة" in footer.get_text()
    assert soup(client.get("/about/")).select_one("h1").get_text(strip=True) == "من نحن"


@pytest.mark.django_db
def test_editors_get_the_wagtail_userbar_and_readers_do_not(client, news_tree):
    url = news_tree["articles"][0].url
    assert "wagtail-userbar" not in client.get(url).content.decode()
    editor = get_user_model().objects.create_superuser("editor", "editor@example.org", "x-long-password-1")
    client.force_login(editor)
    assert "wagtail-userbar" in client.get(url).content.decode()


# Absolute URLs follow the request's host


@pytest.mark.django_db
@pytest.mark.parametrize("host", ["127.0.0.1:8123", "localhost:8000"])
def test_canonical_and_open_graph_urls_use_the_request_host_not_the_site_record(client, news_tree, host):
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("localhost", 80)
    article = news_tree["articles"][0]
    response = client.get(article.url, HTTP_HOST=host)
    page = soup(response)
    expected = f"http://{host}{article.url}"
    assert page.select_one("link[rel=canonical]")["href"] == expected
    assert page.select_one('meta[property="og:url"]')["content"] == expected
    assert page.select_one('meta[property="og:type"]')["content"] == "article"
    assert page.select_one('meta[property="og:title"]')["content"] == article.title
    share = page.select_one("button[data-copy-link]")["data-copy-link"]
    assert share == f"http://{host}/a/{article.pk}/"


@pytest.mark.django_db
def test_listing_canonical_drops_the_query_string(client, news_tree):
    page = soup(client.get("/tags/تونس/?before=1-1&utm_source=x", HTTP_HOST="127.0.0.1:8123"))
    assert page.select_one("link[rel=canonical]")["href"] == "http://127.0.0.1:8123/tags/%D8%AA%D9%88%D9%86%D8%B3/"


# Caching, CSP and escaping


@pytest.mark.django_db
def test_anonymous_pages_set_no_cookie(client, news_tree):
    author = make_author("سارة", slug="sara")
    article = make_article(news_tree["world"], tags=["تونس"], authors=[author])
    urls = ["/", "/news/", "/news/world/", article.url, "/tags/تونس/", "/authors/sara/", "/search/", "/search/?q=خبر", "/news/?fragment=1"]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert not response.cookies, url
        assert "Set-Cookie" not in response, url
        assert "csrfmiddlewaretoken" not in response.content.decode(), url


@pytest.mark.django_db
def test_pages_have_no_inline_script_or_style_and_load_nothing_from_other_hosts(client, news_tree):
    article = make_article(
        news_tree["world"], body=[("embed", {"url": "https://youtu.be/dQw4w9WgXcQ", "title": "فيديو"})], tags=["تونس"]
    )
    for url in ["/", "/news/", article.url, "/tags/تونس/", "/search/?q=خبر", "/nope/"]:
        response = client.get(url)
        assert "Content-Security-Policy" in response
        page = BeautifulSoup(response.content.decode(), "html.parser")
        assert page.select("style") == [] and page.select("[style]") == [], url
        for script in page.select("script"):
            if script.get("type") == "application/ld+json":  # structured data: a data block, never run
                assert not script.has_attr("src") and json.loads(script.get_text()), url
                continue
            assert script.get("src", "").startswith("/static/") and not script.get_text(strip=True), url
            assert script.has_attr("defer") or script.get("type") == "module", url
        for element in page.select("[src], link[rel~=stylesheet], link[rel~=icon], link[rel~=preload]"):
            address = element.get("src") or element.get("href")
            assert address.startswith("/"), (url, address)
        assert not any(attr.startswith("on") for el in page.find_all(True) for attr in el.attrs), url


@pytest.mark.django_db
def test_hostile_text_is_escaped_everywhere_it_appears(client, home):
    section = make_section(home, '<svg onload=alert("s")>قسم', slug="evil")
    author = make_author('<img src=x onerror=alert("a")>', slug="evil-author")
    article = make_article(
        section,
        '<script>alert("t")</script> عنوان',
        lede='"><script>alert("l")</script>',
        kicker="<b>عاجل</b>",
        source_name='<a href="javascript:alert(1)">مصدر</a>',
        source_url="https://example.org/?q=<x>",
        tags=['<i>وسم</i>'],
        authors=[author],
        body=[("quotation", {"text": "<script>alert('q')</script>", "speaker": "<b>x</b>", "role": ""})],
    )
    pages = [article.url, section.url, "/", "/authors/evil-author/", "/search/?q=<script>alert('q')</script>"]
    for url in pages:
        html = client.get(url).content.decode()
        assert "<script>alert" not in html, url
        assert "<svg" not in html and "<img src=x" not in html and "<b>" not in html and "<i>" not in html, url
        assert not any(a["href"].startswith("javascript") for a in BeautifulSoup(html, "html.parser").select("a[href]")), url
    html = client.get(article.url).content.decode()
    assert "&lt;script&gt;alert(&quot;t&quot;)&lt;/script&gt; عنوان" in html
    assert soup(client.get(article.url)).select_one("h1").get_text() == '<script>alert("t")</script> عنوان'


@pytest.mark.django_db
def test_search_page_shows_results_or_a_helpful_message(client, news_tree):
    article = make_article(news_tree["sport"], "مهرجان قرطاج الدولي")
    page = soup(client.get("/search/", {"q": "قرطاج"}))
    assert page.select_one('meta[name=robots]')["content"].startswith("noindex")
    assert page.select_one("main form[role=search] input[name=q]")["value"] == "قرطاج"
    assert article.url in [a["href"] for a in page.select("ol.article-list li.card a")]
    empty = soup(client.get("/search/", {"q": "كلمةلاتوجد"}))
    assert empty.select_one("ol.article-list") is None and "كلمةلاتوجد" in empty.select_one(".listing__empty").get_text()
