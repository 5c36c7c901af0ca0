"""The API returns what docs/api.md says: every documented field with its JSON type, every example."""

import re
from pathlib import Path

import pytest
from django.utils import timezone
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

from tests.factories import make_article, make_author

pytestmark = pytest.mark.django_db
DOC = (Path(__file__).resolve().parent.parent / "docs" / "api.md").read_text(encoding="utf-8")
HOST = "127.0.0.1:8123"
JSON_TYPES = {"number": int, "string": str, "array": list, "object": dict, "null": type(None)}
CARD_FIELDS = "kicker,lede,published_at,featured_image_thumbnail,tag_names,author_names"


def table_after(heading: str) -> dict[str, tuple[type, ...]]:
    """The first `| field | JSON type | meaning |` table under a heading, as field → accepted types."""
    section = DOC.split(f"\n## {heading}\n", 1)[1]
    table = section[section.index("\n| field |") :].split("\n\n", 1)[0]  # the first table only
    rows = re.findall(r"^\| `([^`]+)` \| ([a-z ]+) \|", table, flags=re.M)
    assert rows, heading
    return {name: tuple(JSON_TYPES[word] for word in kind.split(" or ")) for name, kind in rows}


def lookup(item: dict, dotted: str):
    value = item
    for part in dotted.split("."):
        assert part in value, f"{dotted} missing from {sorted(value)}"
        value = value[part]
    return value


def get(client, url, params=None):
    response = client.get(url, params or {}, HTTP_HOST=HOST)
    assert response.status_code == 200, (url, params, response.content[:300])
    return response.json()


@pytest.fixture
def rich(news_tree):
    image = Image.objects.create(title="صورة", file=get_test_image_file(size=(1600, 900)))
    body = [
        ("paragraph", "<p>فقرة <b>مهمة</b>.</p>"),
        ("subheading", "عنوان فرعي"),
        ("quotation", {"text": "قول مأثور", "speaker": "متحدث", "role": "وزير"}),
        ("image", {"image": image, "caption": "تعليق", "credit": "تصوير"}),
        ("embed", {"url": "https://youtu.be/dQw4w9WgXcQ", "title": "فيديو"}),
    ]
    article = make_article(
        news_tree["world"],
        "خبر كامل",
        kicker="عاجل",
        tags=["تونس", "اقتصاد"],
        authors=[make_author()],
        featured_image=image,
        body=body,
        source_name="وكالة",
        source_url="https://example.org/x",
        external_id="ext-1",
        published_at=timezone.now(),
    )
    return {**news_tree, "article": article, "image": image}


def test_card_fields_are_as_documented(client, rich):
    documented = table_after("Article cards (lists)")
    data = get(client, "/api/v2/pages/", {"type": "news.ArticlePage", "fields": CARD_FIELDS, "order": "-published_at"})
    assert data["items"], data
    for item in data["items"]:
        for name, types in documented.items():
            assert isinstance(lookup(item, name), types), (name, lookup(item, name))
    first = data["items"][0]
    assert first["id"] == rich["article"].pk and first["meta"]["html_url"] == f"http://{HOST}{rich['article'].url}"
    thumbnail = first["featured_image_thumbnail"]
    assert (thumbnail["width"], thumbnail["height"]) == (640, 360) and thumbnail["url"].startswith("/media/")
    assert thumbnail["full_url"] == f"http://{HOST}{thumbnail['url']}"
    assert first["tag_names"] == ["تونس", "اقتصاد"] and first["kicker"] == "عاجل"
    dates = [item["published_at"] for item in data["items"]]
    assert dates == sorted(dates, reverse=True)


def test_article_fields_are_as_documented(client, rich):
    article = rich["article"]
    item = get(client, f"/api/v2/pages/{article.pk}/")
    for name, types in {**table_after("Article cards (lists)"), **table_after("One article")}.items():
        assert isinstance(lookup(item, name), types), name
    assert item["meta"]["parent"]["id"] == rich["world"].pk and item["meta"]["parent"]["meta"]["type"] == "news.SectionPage"
    assert sorted(item["tags"]) == ["اقتصاد", "تونس"] and item["external_id"] == "ext-1"
    blocks = {block["type"]: block["value"] for block in item["body"]}
    documented_blocks = re.findall(r"^\| `([a-z]+)` \| ", DOC.split("`body` items are", 1)[1].split("\n## ", 1)[0], flags=re.M)
    assert sorted(blocks) == sorted(documented_blocks)
    assert blocks["image"]["image"] == rich["image"].pk
    assert set(blocks["quotation"]) == {"text", "speaker", "role"} and set(blocks["embed"]) == {"url", "title"}
    image = get(client, f"/api/v2/images/{rich['image'].pk}/")
    assert image["meta"]["download_url"]


def test_section_fields_are_as_documented(client, rich):
    data = get(client, "/api/v2/pages/", {"type": "news.SectionPage", "fields": "intro"})
    assert {item["title"] for item in data["items"]} == {"أخبار", "أخبار حول العالم", "رياضة"}
    for item in data["items"]:
        for name, types in table_after("Sections").items():
            assert isinstance(lookup(item, name), types), name
    subsections = get(client, "/api/v2/pages/", {"type": "news.SectionPage", "child_of": rich["news"].pk})
    assert [item["title"] for item in subsections["items"]] == ["أخبار حول العالم"]


def test_filters_as_documented(client, rich):
    base = {"type": "news.ArticlePage", "fields": "published_at", "order": "-published_at"}
    news, world, sport = rich["news"], rich["world"], rich["sport"]
    in_news = get(client, "/api/v2/pages/", {**base, "descendant_of": news.pk})
    assert in_news["meta"]["total_count"] == 4  # the three of «world» and the new one, via the subsection
    assert get(client, "/api/v2/pages/", {**base, "child_of": news.pk})["meta"]["total_count"] == 0
    assert get(client, "/api/v2/pages/", {**base, "child_of": world.pk})["meta"]["total_count"] == 4
    assert get(client, "/api/v2/pages/", {**base, "descendant_of": sport.pk})["meta"]["total_count"] == 2
    tagged = get(client, "/api/v2/pages/", {**base, "tags": "تونس"})
    assert tagged["meta"]["total_count"] == 4
    both = get(client, "/api/v2/pages/", {**base, "tags": "تونس,اقتصاد"})
    assert [item["id"] for item in both["items"]] == [rich["article"].pk]
    oldest = get(client, "/api/v2/pages/", {**base, "order": "published_at"})["items"]
    assert [item["published_at"] for item in oldest] == sorted(item["published_at"] for item in oldest)
    first = get(client, "/api/v2/pages/", {**base, "limit": 2})
    second = get(client, "/api/v2/pages/", {**base, "limit": 2, "offset": 2})
    assert not {i["id"] for i in first["items"]} & {i["id"] for i in second["items"]}


def test_every_example_request_answers(client, rich):
    examples = re.findall(r"^GET (/api/v2/\S+)$", DOC, flags=re.M)
    assert len(examples) >= 5
    for example in examples:
        url = example.replace("<section id>", str(rich["world"].pk)).replace("<id>", str(rich["article"].pk))
        response = client.get(url, HTTP_HOST=HOST)
        assert response.status_code == 200, (url, response.content[:300])
        data = response.json()
        assert data.get("items") or data.get("id"), url


def test_find_by_web_address(client, rich):
    response = client.get("/api/v2/pages/find/", {"html_path": rich["world"].url}, HTTP_HOST=HOST)
    assert response.status_code == 302
    assert response["Location"].startswith(f"http://{HOST}/api/v2/pages/{rich['world'].pk}/")


@pytest.mark.parametrize("params", [{"fields": "nope"}, {"limit": 101}, {"tags": "x"}, {"order": "-published_at"}])
def test_documented_errors_are_400_with_a_message(client, rich, params):
    response = client.get("/api/v2/pages/", params)
    assert response.status_code == 400 and response.json()["message"]


def test_parent_section_links_use_the_request_host(client, rich):
    item = get(client, f"/api/v2/pages/{rich['article'].pk}/")
    parent = item["meta"]["parent"]["meta"]
    assert parent["html_url"] == f"http://{HOST}{rich['world'].url}"
    assert parent["detail_url"] == f"http://{HOST}/api/v2/pages/{rich['world'].pk}/"


def test_card_list_queries_do_not_grow_with_items(client, rich):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = f"/api/v2/pages/?type=news.ArticlePage&fields={CARD_FIELDS},tags&order=-published_at&limit=50"

    def count():
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    small = count()
    author = make_author("كاتب آخر", slug="another")
    for n in range(8):
        make_article(rich["sport"], tags=["رياضة", f"وسم {n}"], authors=[author], featured_image=rich["image"])
    assert count() == small
