"""WordPress HTML → Akhbar blocks (akhbar/importers/wordpress/conversion.py), piece by piece."""

import pytest

from akhbar.importers.wordpress.conversion import convert, rich_text
from akhbar.news.blocks import ArticleBodyBlock

KNOWN = {12: 101, 13: 102}


def lookup(attachment_id, url):
    if attachment_id in KNOWN:
        return KNOWN[attachment_id]
    return 103 if url.endswith("/2025/03/known.jpg") else None


def kinds(converted):
    return [block["type"] for block in converted.blocks]


def values(converted, kind):
    return [block["value"] for block in converted.blocks if block["type"] == kind]


def test_gallery_and_escaped_shortcodes():
    converted = convert('[gallery ids="12,13,99"]\n\nنص [[caption]] و [1] بين قوسين', lookup)
    assert [v["image"] for v in values(converted, "image")] == [101, 102]
    assert values(converted, "paragraph") == ["<p>نص [caption] و [1] بين قوسين</p>"]


def test_known_video_frames_become_embeds_and_others_go():
    converted = convert(
        '<iframe src="https://www.youtube.com/embed/dQw4w9WgXcQ"></iframe>'
        '<iframe src="https://ads.example/frame"></iframe><p>بعد</p>',
        lookup,
    )
    assert kinds(converted) == ["embed", "paragraph"]
    assert "iframe from ads.example" in converted.dropped


def test_a_bare_address_alone_is_an_embed_only_for_known_providers():
    converted = convert("قبل\n\nhttps://vimeo.com/123456\n\nhttps://unknown.example/page\n\nبعد", lookup)
    assert kinds(converted) == ["paragraph", "embed", "paragraph", "paragraph"]
    assert 'href="https://unknown.example/page"' in values(converted, "paragraph")[1]


def test_headings_lists_tables_and_unknown_tags():
    converted = convert(
        "<h2>عنوان</h2><h5>صغير</h5><ol><li>أول</li><li><em>ثان</em></li></ol>"
        "<table><tr><th>الفريق</th><th>النقاط</th></tr><tr><td>الأهلي</td><td>30</td></tr></table>"
        "<custom-widget>نص <marquee>متحرك</marquee></custom-widget>",
        lookup,
    )
    assert kinds(converted) == ["subheading", "paragraph", "paragraph", "paragraph", "paragraph", "paragraph"]
    assert values(converted, "paragraph")[0] == "<h4>صغير</h4>"
    assert values(converted, "paragraph")[1] == "<ol><li>أول</li><li><i>ثان</i></li></ol>"
    assert values(converted, "paragraph")[2:4] == ["<p>الفريق — النقاط</p>", "<p>الأهلي — 30</p>"]
    assert values(converted, "paragraph")[4] == "<p>نص متحرك</p>"


def test_images_found_by_file_whatever_the_size_or_kept_as_links():
    converted = convert(
        '<p><img src="https://old.example/wp-content/uploads/2025/03/known-300x200.jpg" alt="أ"></p>'
        '<figure><img src="https://old.example/wp-content/uploads/2025/03/lost.jpg" alt="صورة مفقودة"></figure>',
        lambda attachment_id, url: 103 if "known" in url else None,
    )
    assert values(converted, "image")[0]["image"] == 103
    assert values(converted, "paragraph") == [
        '<p><a href="https://old.example/wp-content/uploads/2025/03/lost.jpg">صورة مفقودة</a></p>'
    ]
    assert converted.missing_images == ["https://old.example/wp-content/uploads/2025/03/lost.jpg"]


@pytest.mark.parametrize(
    "html",
    [
        "<p>غير مغلق <b>عريض <i>مائل",
        "<div><p>فقرة</div></p></span>",
        "<p>نص</p><!-- تعليق غير مغلق",
        '[caption id="attachment_12"]<img src="x.jpg"> بلا إغلاق',
        "<<<>>>&&&;;",
        "",
    ],
)
def test_broken_markup_never_raises_and_stays_valid(html):
    converted = convert(html, lookup)
    ArticleBodyBlock().to_python(converted.blocks)  # Wagtail accepts what it produced
    for block in converted.blocks:
        assert "<script" not in str(block["value"])


def test_hostile_markup_is_inert():
    converted = convert(
        '<p>أ<svg onload="alert(1)"><a href="data:text/html,x">ب</a> <a href="https://ok.example" onclick="x()">ج</a>'
        '<object data="x.swf"></object><form><input></form></p>',
        lookup,
    )
    [html] = values(converted, "paragraph")
    assert html == '<p>أ ب <a href="https://ok.example">ج</a></p>' or html == '<p>أب <a href="https://ok.example">ج</a></p>'


def test_a_huge_body_converts(tmp_path):
    body = ("<p>فقرة <b>من</b> نص طويل [shortcode x=1] " + "كلمة " * 50 + "</p>\n") * 4000
    assert len(body.encode()) > 2_000_000
    converted = convert(body, lookup)
    assert len(converted.blocks) == 4000 and "shortcode" not in converted.text


def test_page_rich_text_keeps_headings_and_turns_embeds_into_links():
    html = rich_text("<h2>فريقنا</h2><p>نص</p>\n\nhttps://www.youtube.com/watch?v=dQw4w9WgXcQ\n\n<script>x</script>")
    assert html == (
        "<h2>فريقنا</h2><p>نص</p>"
        '<p><a href="https://www.youtube.com/watch?v=dQw4w9WgXcQ">https://www.youtube.com/watch?v=dQw4w9WgXcQ</a></p>'
    )


@pytest.mark.parametrize(
    "opening",
    ["<div>", "<b>", "<blockquote>", "<ul><li>", "<table><tr><td>", "<ol>", "<figure>", "<span>", "<p><i>"],
)
def test_hostile_nesting_keeps_the_words_and_never_overflows(opening):
    converted = convert(opening * 3000 + "كلمة أخيرة", lookup)
    assert "كلمة أخيرة" in converted.text
    ArticleBodyBlock().to_python(converted.blocks)


def test_nested_lists_and_tables_keep_their_order_and_words_apart():
    converted = convert(
        "<table><thead><tr><th>أ</th></tr></thead><tbody><tr><td>ب</td><td>ج</td></tr></tbody></table>"
        "<ul><li>س<ul><li>ص</li></ul></li><li>ع</li></ul>",
        lookup,
    )
    assert values(converted, "paragraph")[:2] == ["<p>أ</p>", "<p>ب — ج</p>"]
    assert "س" in values(converted, "paragraph")[2] and "ص" in values(converted, "paragraph")[2]
    assert "سص" not in values(converted, "paragraph")[2]
