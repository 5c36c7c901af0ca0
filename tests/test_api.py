"""Wagtail API v2: article fields for cards, limits, and URLs on the request's own host."""

import pytest

pytestmark = pytest.mark.django_db


def test_article_items_expose_card_fields_and_external_id(client, news_tree):
    article = news_tree["articles"][0]
    article.external_id = "AL-test-1"
    article.save_revision().publish()
    response = client.get(
        "/api/v2/pages/",
        {"type": "news.ArticlePage", "fields": "kicker,lede,published_at,external_id,tag_names,featured_image_thumbnail"},
        HTTP_HOST="127.0.0.1:8123",
    )
    assert response.status_code == 200
    items = {item["id"]: item for item in response.json()["items"]}
    item = items[article.pk]
    assert item["external_id"] == "AL-test-1"
    assert item["lede"] == article.lede
    assert item["tag_names"] == ["تونس"]
    assert item["published_at"]
    assert item["meta"]["html_url"].startswith("http://127.0.0.1:8123/")
    assert item["meta"]["detail_url"] == f"http://127.0.0.1:8123/api/v2/pages/{article.pk}/"


def test_limit_up_to_100_and_no_more(client, news_tree):
    assert client.get("/api/v2/pages/", {"limit": 100}).status_code == 200
    response = client.get("/api/v2/pages/", {"limit": 101})
    assert response.status_code == 400


def test_images_endpoint_answers(client, db):
    response = client.get("/api/v2/images/")
    assert response.status_code == 200
    assert response.json()["meta"]["total_count"] == 0
