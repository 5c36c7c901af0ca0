"""`akhbar import_wordpress`: a WordPress radio station's export moved to Akhbar, and hostile exports refused.

The fixture (tests/fixtures/wxr/radio-site.xml, made for Akhbar) is described in
tests/fixtures/wxr/README.md.
"""

import datetime as dt
import re
import tracemalloc
from io import StringIO
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from wagtail.contrib.redirects.models import Redirect
from wagtail.images import get_image_model
from wagtail.models import Page

from akhbar.comments.models import Comment
from akhbar.importers.models import ImportedObject
from akhbar.news.models import ArticlePage, SectionPage, StandardPage
from bench._wxr import category, post, write_export

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).parent / "fixtures" / "wxr"
EXPORT = FIXTURES / "radio-site.xml"
UPLOADS = FIXTURES / "uploads"
SOURCE = "wordpress:radio-example.org:"
ARABIC = re.compile("[\u0600-\u06ff]")


class Result:
    def __init__(self, out: str, err: str, error: CommandError | None):
        self.out, self.err, self.error = out, err, error

    @property
    def message(self) -> str:
        return str(self.error or "")


def run(*args, **options) -> Result:
    out, err = StringIO(), StringIO()
    error = None
    try:
        call_command("import_wordpress", *[str(a) for a in args], stdout=out, stderr=err, quiet=True, **options)
    except CommandError as exc:
        error = exc
    return Result(out.getvalue(), err.getvalue(), error)


def article(post_id: int) -> ArticlePage:
    return ArticlePage.objects.get(external_id=f"{SOURCE}{post_id}")


@pytest.fixture
def imported(home):
    result = run(EXPORT, "--uploads", UPLOADS)
    return result


def block_types(page) -> list[str]:
    return [block.block_type for block in page.body]


# The whole site ---------------------------------------------------------------------------


def test_categories_become_nested_sections(imported):
    news = SectionPage.objects.get(slug="akhbar")
    local = SectionPage.objects.child_of(news).get(slug="local")
    municipalities = SectionPage.objects.child_of(local).get(slug="municipalities")
    assert municipalities.title == "البلديات"  # listed before its parent in the export
    economy = SectionPage.objects.get(title="اقتصاد")
    assert economy.slug == "اقتصاد"  # WordPress's %d8%a7… slug, as letters
    assert economy.live and municipalities.live
    assert Page.find_problems() == ([], [], [], [], [])


def test_published_posts_become_live_articles_with_their_credits(imported):
    assert sorted(int(p.external_id.rsplit(":", 1)[1]) for p in ArticlePage.objects.live()) == [101, 102, 103, 104, 105, 106]
    flood = article(101)
    assert flood.title == "أمطار غزيرة في البلديات"
    assert flood.slug == "أمطار-غزيرة-في-البلديات"
    assert flood.get_parent().slug == "municipalities"
    assert flood.published_at == dt.datetime(2025, 3, 14, 9, 30, tzinfo=dt.UTC)
    assert sorted(flood.tags.names()) == ["إذاعة", "طقس"]
    assert [author.name for author in flood.authors.all()] == ["سارة المنصور"]
    assert flood.live_revision is not None and not flood.has_unpublished_changes
    # Classic-editor text: blank lines are paragraphs, a single newline a line break.
    paragraphs = [block.value.source for block in flood.body if block.block_type == "paragraph"]
    assert paragraphs[0].startswith("<p>هطلت أمطار غزيرة") and "<br" in paragraphs[0]
    assert len(paragraphs) == 3 and "<b>تحديث:</b>" in paragraphs[2]


def test_yoast_primary_category_is_the_section_and_other_categories_become_tags(imported):
    match = article(102)
    assert match.get_parent().slug == "sport"
    assert "أخبار" in match.tags.names() and "الدوري" in match.tags.names()
    assert [author.name for author in match.authors.all()] == ["خالد العمري"]


def test_gutenberg_blocks_become_akhbar_blocks(imported):
    match = article(102)
    assert block_types(match) == ["paragraph", "subheading", "quotation", "image", "embed"]
    quote_block = next(block.value for block in match.body if block.block_type == "quotation")
    assert quote_block["speaker"] == "مدرب الفريق" and "اللاعبون" in quote_block["text"]
    image = next(block.value for block in match.body if block.block_type == "image")
    assert image["image"].title == "الاستوديو" and image["caption"] == "استوديو التحليل بعد المباراة"
    embed = next(block.value for block in match.body if block.block_type == "embed")
    assert embed["url"] == "https://www.youtube.com/watch?v=dQw4w9WgXcQ"


def test_shortcodes_excerpt_and_caption(imported):
    budget = article(103)
    assert budget.lede == "أقر المجلس البلدي ميزانية العام الجديد."
    assert budget.get_parent().title == "اقتصاد"
    image = next(block.value for block in budget.body if block.block_type == "image")
    assert image["caption"] == "الملعب البلدي بعد الترميم" and image["image"].title == "الملعب"
    text = " ".join(block.value.source for block in budget.body if block.block_type == "paragraph")
    assert "راسلونا" in text and "contact-form-7" not in text and "[" not in text


def test_hostile_html_is_inert_on_the_article_page(imported, client):
    statement = article(104)
    response = client.get(statement.url)
    assert response.status_code == 200
    body_html = response.content.decode()
    main = body_html[body_html.index("نص البيان الرسمي") - 2000 : body_html.index("نص البيان الرسمي") + 3000]
    for bad in ("alert(", "onerror", "onclick", "javascript:", "evil.example", "display:none", "\u202e"):
        assert bad not in main
    assert "عكس الاتجاه" in main and 'href="https://radio-example.org/about"' in main


def test_featured_images_whether_the_attachment_comes_before_or_after(imported):
    market = article(105)
    assert market.featured_image is not None and market.featured_image.title == "السوق"
    hosts = article(106)
    assert hosts.featured_image is None
    missing = ImportedObject.objects.get(kind="attachment", source_id="204")
    assert missing.object_id == "" and missing.original_url == "https://radio-example.org/wp-content/uploads/2025/03/hosts.jpg"
    assert "not found" in missing.note or ARABIC.search(missing.note)
    assert get_image_model().objects.count() == 3  # the corrupt file is refused
    assert "205" in imported.err


def test_drafts_scheduled_private_and_protected_posts_are_not_public(imported, client):
    for post_id in (107, 108, 110, 112):
        page = article(post_id)
        assert not page.live
        assert page.live_revision is None if post_id != 112 else True
    scheduled = article(109)
    assert not scheduled.live
    assert scheduled.go_live_at == dt.datetime(2031, 1, 5, 17, 0, tzinfo=dt.UTC)
    assert scheduled.latest_revision.approved_go_live_at == scheduled.go_live_at
    assert not ArticlePage.objects.filter(external_id=f"{SOURCE}111").exists()  # in the bin
    for post_id in (107, 109, 110, 112):
        assert client.get(f"/?p={post_id}").status_code == 200  # the home page, not the post
    private = article(110)
    assert client.get(f"/akhbar/{private.slug}/").status_code == 404


def test_comments_keep_their_threads_and_moderation_state(imported):
    flood = article(101)
    by_text = {comment.text: comment for comment in Comment.objects.filter(article=flood)}
    first, reply, reply_to_reply = by_text["شكراً على التغطية"], by_text["أتفق معك"], by_text["وأنا أيضاً"]
    assert first.status == reply.status == reply_to_reply.status == Comment.Status.APPROVED
    assert reply.parent == first and reply.depth == 1
    assert reply_to_reply.parent == first and reply_to_reply.depth == 1  # two visible levels, as on Akhbar
    assert by_text["تعليق ينتظر المراجعة"].status == Comment.Status.PENDING
    assert by_text["تعليق ينتظر المراجعة"].ip_address == "2001:db8::1"
    assert by_text["cheap pills http://spam.example"].status == Comment.Status.SPAM
    assert "في سلة المهملات" not in by_text and "إشارة إلى هذا الخبر" not in by_text
    assert first.email == "ahmad@example.org" and first.name == "أحمد"
    assert first.created_at == dt.datetime(2025, 3, 14, 10, 0, tzinfo=dt.UTC)


def test_approved_comments_show_under_the_article(imported, client):
    html = client.get(article(101).url).content.decode()
    assert "شكراً على التغطية" in html and "أتفق معك" in html
    assert "تعليق ينتظر المراجعة" not in html and "cheap pills" not in html
    assert "ahmad@example.org" not in html


def test_pages_become_standard_pages_and_an_existing_slug_is_updated_in_place(home):
    privacy = StandardPage(title="سياسة الخصوصية", slug="privacy", body="<p>نص قديم</p>")
    home.add_child(instance=privacy)
    privacy.save_revision().publish()
    result = run(EXPORT, "--uploads", UPLOADS)
    assert "pages" in result.out or "صفحات" in result.out
    [updated] = StandardPage.objects.filter(slug="privacy")
    assert updated.pk == privacy.pk and updated.live
    assert "نحترم خصوصية المستمعين" in updated.body
    about = StandardPage.objects.get(slug="من-نحن")
    assert about.live and "<h2>فريقنا</h2>" in about.body
    assert not StandardPage.objects.get(title="صفحة قيد الإعداد").live


def test_old_addresses_redirect_to_the_new_pages(imported, client):
    flood = article(101)
    lower = "/2025/03/14/" + quote("أمطار-غزيرة-في-البلديات").lower() + "/"
    upper = "/2025/03/14/" + quote("أمطار-غزيرة-في-البلديات").upper().replace("%2D", "-") + "/"
    for path in (lower, upper, lower.rstrip("/")):
        response = client.get(path)
        assert response.status_code == 301, path
        assert response["Location"] == flood.url
    response = client.get("/?p=101")
    assert response.status_code == 301 and response["Location"] == flood.url
    about = StandardPage.objects.get(slug="من-نحن")
    assert client.get("/?page_id=301")["Location"] == about.url
    assert client.get("/" + quote("من-نحن") + "/").status_code in (200, 301)
    assert client.get("/?p=999999").status_code == 200
    assert client.get("/?p=abc").status_code == 200
    # Every published post and page has its redirect; drafts and private posts have none.
    redirected = {r.old_path for r in Redirect.objects.all()}
    assert "/?p=107" not in redirected and "/?p=110" not in redirected and "/?p=112" not in redirected
    for post_id in (101, 102, 103, 104, 105, 106):
        assert f"/?p={post_id}" in redirected


def test_imported_articles_are_searchable_and_editable(imported, client, admin_client):
    response = client.get("/search/", {"q": "بالأمطار"})
    assert "</mark> غزيرة في البلديات</a>" in response.content.decode()  # the particle-prefixed word finds the title
    edit = admin_client.get(f"/admin/pages/{article(102).pk}/edit/")
    assert edit.status_code == 200
    draft = admin_client.get(f"/admin/pages/{article(107).pk}/edit/")
    assert draft.status_code == 200


def test_rerun_updates_instead_of_duplicating(imported, tmp_path):
    counts = (ArticlePage.objects.count(), Comment.objects.count(), Redirect.objects.count(), get_image_model().objects.count())
    again = run(EXPORT, "--uploads", UPLOADS)
    assert (ArticlePage.objects.count(), Comment.objects.count(), Redirect.objects.count(), get_image_model().objects.count()) == counts
    assert re.search(r": 0 \S+ 0 \S+ 6 ", again.out) or "6 unchanged" in again.out
    flood = article(101)
    changed = EXPORT.read_text(encoding="utf-8").replace("أمطار غزيرة في البلديات", "أمطار غزيرة جداً في البلديات")
    changed = changed.replace("<wp:status><![CDATA[draft]]></wp:status>", "<wp:status><![CDATA[publish]]></wp:status>", 1)
    changed = changed.replace(
        "<title><![CDATA[بيان المحطة]]></title>", "<title><![CDATA[بيان المحطة]]></title>"
    ).replace("<wp:post_id>104</wp:post_id>", "<wp:post_id>104</wp:post_id>")
    statement_block = changed[changed.index("<wp:post_id>104</wp:post_id>") :]
    changed = changed.replace(
        statement_block[: statement_block.index("</item>")],
        statement_block[: statement_block.index("</item>")].replace(
            "<wp:status><![CDATA[publish]]></wp:status>", "<wp:status><![CDATA[draft]]></wp:status>"
        ),
    )
    path = tmp_path / "changed.xml"
    path.write_text(changed, encoding="utf-8")
    result = run(path, "--uploads", UPLOADS)
    updated = article(101)
    assert updated.pk == flood.pk and updated.title == "أمطار غزيرة جداً في البلديات"
    assert updated.url == flood.url and updated.live
    assert article(107).live  # the draft was published in WordPress since
    assert article(107).first_published_at is not None
    assert not article(104).live  # and the statement taken back
    assert not Redirect.objects.filter(old_path="/?p=104").exists()
    assert ArticlePage.objects.count() == counts[0]
    assert Page.find_problems() == ([], [], [], [], [])
    assert result.error is not None and "1" in result.message  # the corrupt image, still


def test_dry_run_saves_nothing(home):
    media = Path(settings.MEDIA_ROOT)
    before = set(media.rglob("*")) if media.exists() else set()
    result = run(EXPORT, "--uploads", UPLOADS, "--dry-run")
    assert ArticlePage.objects.count() == 0 and Comment.objects.count() == 0
    assert Redirect.objects.count() == 0 and get_image_model().objects.count() == 0
    assert SectionPage.objects.count() == 0 and ImportedObject.objects.count() == 0
    assert (set(media.rglob("*")) if media.exists() else set()) == before
    first_line = result.out.splitlines()[0]
    assert ARABIC.search(first_line) or "Dry run" in first_line
    assert re.search(r"6|11", result.out)


def test_editor_accounts_without_passwords(home):
    run(EXPORT, "--uploads", UPLOADS, "--create-editors")
    sara = get_user_model().objects.get(username="sara")
    assert not sara.has_usable_password() and sara.email == "sara@radio-example.org"
    assert sara.groups.filter(newsroom_role__role="reporter").exists()


def test_without_uploads_images_are_recorded_with_their_address(home):
    run(EXPORT)
    assert get_image_model().objects.count() == 0
    recorded = ImportedObject.objects.filter(kind="attachment").values_list("original_url", flat=True)
    assert "https://radio-example.org/wp-content/uploads/2025/03/studio.jpg" in recorded
    match = article(102)
    links = [block.value.source for block in match.body if block.block_type == "paragraph"]
    assert any("studio-1024x768.jpg" in html for html in links)  # the image stays a link, not lost


# One bad item ----------------------------------------------------------------------------


def one_post_export(tmp_path, *posts, name="site.xml") -> Path:
    return write_export(tmp_path / name, posts, site="https://tiny.example", categories=[category(1, "news", "أخبار")])


def test_a_bad_item_is_reported_with_its_line_and_nothing_of_it_is_written(home, tmp_path):
    good = post(1, "خبر سليم", ["نص"], site="https://tiny.example", when=dt.datetime(2025, 1, 1, tzinfo=dt.UTC),
                category_slug="news", category_name="أخبار", comments=2)
    bad = post(2, "خبر بتاريخ مستحيل", ["نص"], site="https://tiny.example", when=dt.datetime(2025, 1, 2, tzinfo=dt.UTC),
               category_slug="news", category_name="أخبار", comments=2)
    bad = bad.replace("2025-01-02 00:00:00", "2025-13-45 99:00:00").replace("2025-01-02 03:00:00", "2025-13-45 99:00:00")
    path = one_post_export(tmp_path, good, bad)
    result = run(path)
    assert ArticlePage.objects.filter(title="خبر سليم").exists()
    assert not ArticlePage.objects.filter(title="خبر بتاريخ مستحيل").exists()
    assert Comment.objects.count() == 2 and not Redirect.objects.filter(old_path="/?p=2").exists()
    line = next(n for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "خبر بتاريخ مستحيل" in text) - 1
    assert re.search(rf"\b{line}\b", result.err) and ARABIC.search(result.err)
    assert result.error is not None


# Hostile and broken files ----------------------------------------------------------------

WXR_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" ?>\n'
    '<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/" xmlns:content="http://purl.org/rss/1.0/modules/content/">\n'
    "<channel><title>x</title><link>https://x.example</link><wp:wxr_version>1.2</wp:wxr_version>\n"
)


@pytest.mark.parametrize(
    "name,content,expected",
    [
        (
            "xxe",
            '<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
            "<rss><channel><title>&xxe;</title></channel></rss>\n",
            "DTD",
        ),
        (
            "billion laughs",
            '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;">'
            '<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;">]>\n<rss><channel><title>&lol2;</title></channel></rss>\n',
            "DTD",
        ),
        ("truncated", WXR_HEAD + "<item><title>خبر</title><wp:post_id>5</wp:post_id>\n<content:encoded><![CDATA[نص", "5"),
        ("not xml", "this is not XML at all\n", "1"),
        ("empty", "", ""),
        ("plain rss", '<?xml version="1.0"?>\n<rss version="2.0"><channel><title>feed</title><item><title>a</title></item></channel></rss>\n', "WordPress"),
        ("html", "<!doctype html><html><body>hi</body></html>\n", "1"),
        ("control character", WXR_HEAD + "<item><title>خبر\x01</title></item>\n</channel></rss>\n", "4"),
        ("mismatched", WXR_HEAD + "<item><title>x</wp:post_id></item>\n</channel></rss>\n", "4"),
    ],
)
def test_hostile_or_broken_files_stop_before_anything_is_written(home, tmp_path, name, content, expected):
    path = tmp_path / "export.xml"
    path.write_text(content, encoding="utf-8")
    result = run(path)
    assert result.error is not None
    assert ARABIC.search(result.message) and expected in result.message
    assert ArticlePage.objects.count() == 0 and SectionPage.objects.count() == 0


def test_bytes_in_the_wrong_encoding_are_refused_with_their_line(home, tmp_path):
    path = tmp_path / "export.xml"
    good = WXR_HEAD + "<item><title>خبر</title>\n"
    path.write_bytes(good.encode() + "<wp:post_id>1</wp:post_id><title>عنوان</title>\n".encode("cp1256") + b"</item></channel></rss>\n")
    result = run(path)
    assert result.error is not None and "UTF-8" in result.message and "5" in result.message
    assert ArticlePage.objects.count() == 0


def test_an_attachment_path_cannot_leave_the_uploads_directory(home, tmp_path):
    secret = tmp_path / "secret.jpg"
    secret.write_bytes((UPLOADS / "2025" / "03" / "studio.jpg").read_bytes())
    uploads = tmp_path / "uploads"
    uploads.mkdir()
    export = EXPORT.read_text(encoding="utf-8").replace("<![CDATA[2025/03/studio.jpg]]>", "<![CDATA[../secret.jpg]]>")
    path = tmp_path / "site.xml"
    path.write_text(export, encoding="utf-8")
    run(path, "--uploads", uploads)
    assert get_image_model().objects.count() == 0
    assert "leaves" in ImportedObject.objects.get(kind="attachment", source_id="201").note or ARABIC.search(
        ImportedObject.objects.get(kind="attachment", source_id="201").note
    )


def test_missing_file_or_uploads_directory(home, tmp_path):
    assert "not found" in run(tmp_path / "nothing.xml").message.lower() or ARABIC.search(run(tmp_path / "nothing.xml").message)
    assert run(EXPORT, "--uploads", tmp_path / "nowhere").error is not None
    assert ArticlePage.objects.count() == 0


def test_the_reader_streams_in_constant_memory(tmp_path):
    from akhbar.importers.wordpress.wxr import Item, read_export

    body = ["فقرة طويلة من نص الخبر تتكرر لتكبير الملف. " * 40] * 5
    posts = (
        post(n, f"خبر {n}", body, site="https://big.example", when=dt.datetime(2025, 1, 1, tzinfo=dt.UTC),
             category_slug="news", category_name="أخبار", comments=3)
        for n in range(1, 3001)
    )
    path = write_export(tmp_path / "big.xml", posts, site="https://big.example")
    assert path.stat().st_size > 25_000_000
    tracemalloc.start()
    count = sum(isinstance(entry, Item) for entry in read_export(path))
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert count == 3000
    assert peak < 3_000_000  # a few items' worth, not the 25 MB file


def test_every_old_permalink_redirects_to_its_own_new_page(imported, client):
    from akhbar.importers.wordpress.wxr import Item, read_export

    checked = 0
    for entry in read_export(EXPORT):
        if not isinstance(entry, Item) or entry.status != "publish" or entry.password:
            continue
        if entry.post_type == "post":
            page = article(int(entry.post_id))
        elif entry.post_type == "page":
            page = StandardPage.objects.get(pk=ImportedObject.objects.get(kind="page", source_id=entry.post_id).object_id)
        else:
            continue
        path = entry.link.removeprefix("https://radio-example.org")
        response = client.get(path)
        if response.status_code == 200:  # a page whose new address is its old one
            assert response.context["page"].pk == page.pk, path
        else:
            assert response.status_code == 301 and response["Location"] == page.url, path
        checked += 1
    assert checked == 8  # six posts, two pages


def test_older_export_versions_are_read_the_same(home, tmp_path):
    older = EXPORT.read_text(encoding="utf-8").replace("http://wordpress.org/export/1.2/", "http://wordpress.org/export/1.0/")
    older = older.replace("<wp:wxr_version>1.2</wp:wxr_version>", "<wp:wxr_version>1.0</wp:wxr_version>")
    path = tmp_path / "wxr-1.0.xml"
    path.write_text(older, encoding="utf-8")
    run(path, "--uploads", UPLOADS)
    assert ArticlePage.objects.live().count() == 6
    assert article(103).lede == "أقر المجلس البلدي ميزانية العام الجديد."  # the excerpt namespace too
    assert Comment.objects.count() == 6
