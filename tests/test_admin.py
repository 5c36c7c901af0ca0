"""Editors work in Wagtail's admin in Arabic."""

import pytest
from bs4 import BeautifulSoup

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client, django_user_model, home):
    user = django_user_model.objects.create_superuser("rania", "rania@example.org", "secret-pass-123")
    client.force_login(user)
    return client


def test_admin_login_page_is_arabic_and_rtl(client):
    soup = BeautifulSoup(client.get("/admin/login/").content, "html.parser")
    assert soup.html["lang"] == "ar"
    assert soup.html["dir"] == "rtl"
    assert "تسجيل الدخول" in soup.get_text()


def test_admin_dashboard_and_our_settings_speak_arabic(editor_client):
    dashboard = editor_client.get("/admin/")
    assert dashboard.status_code == 200
    assert 'dir="rtl"' in dashboard.content.decode()
    regional = editor_client.get("/admin/settings/core/regionalsettings/")
    assert regional.status_code in (200, 302)
    if regional.status_code == 302:
        regional = editor_client.get(regional["Location"])
    text = BeautifulSoup(regional.content, "html.parser").get_text()
    assert "كانون الثاني" in text and "جانفي" in text  # the month-name styles editors choose from
    assert "الأرقام" in text or "أرقام" in text


def test_article_editor_opens_in_arabic(editor_client, news_tree):
    article = news_tree["articles"][0]
    response = editor_client.get(f"/admin/pages/{article.pk}/edit/")
    assert response.status_code == 200
    text = BeautifulSoup(response.content, "html.parser").get_text()
    assert "الوسوم" in text
