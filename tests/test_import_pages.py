"""Imported articles are ordinary Wagtail pages: tree, revisions, search, references, admin, listings."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import override_settings
from django.utils.html import strip_tags
from django_tasks_db.models import DBTaskResult
from wagtail.models import Page, ReferenceIndex
from wagtail.test.utils.form_data import nested_form_data, querydict_from_html, rich_text, streamfield

from akhbar.importers.jsonl import JsonLinesReader
from akhbar.news.listings import section_articles
from akhbar.news.models import ArticlePage, SectionPage
from tests.factories import make_article, make_section
from tests.test_import_jsonl import record, run_import, write_jsonl

pytestmark = pytest.mark.django_db
CLEAN_TREE = ([], [], [], [], [])


def fixtree_report() -> str:
    out = StringIO()
    call_command("fixtree", interactive=False, stdout=out)
    return out.getvalue()


def test_tree_stays_consistent_through_imports_updates_and_moves(home, tmp_path):
    """Imports land beside pages made through Wagtail's own API; `fixtree` finds nothing to fix."""
    sport = make_section(home, "رياضة", slug="sport")
    editor_article = make_article(sport, title="خبر كتبه محرر")
    path = write_jsonl(tmp_path, [record(n, category="sport" if n % 2 else "economy") for n in range(1, 12)])
    run_import(path, batch_size=4)
    write_jsonl(tmp_path, [record(n, category="economy" if n % 3 == 0 else "sport", title=f"خبر {n}") for n in range(1, 12)])
    run_import(path, batch_size=4)
    after_import = make_article(sport, title="خبر بعد الاستيراد")  # add_child still finds a free path

    assert Page.find_problems() == CLEAN_TREE
    report = fixtree_report()
    assert "Incorrect" not in report and "missing" not in report
    assert report.count("No problems found") == 2
    sport.refresh_from_db()
    assert sport.numchild == sport.get_children().count() == ArticlePage.objects.child_of(sport).count()
    paths = list(Page.objects.child_of(sport).order_by("path").values_list("pk", flat=True))
    assert paths[0] == editor_article.pk and paths[-1] == after_import.pk
    for page in ArticlePage.objects.all():
        parent = page.get_parent()
        assert page.url_path == f"{parent.url_path}{page.slug}/"
        assert page.section_id == parent.pk


def test_imported_articles_are_searchable_without_a_worker(home, tmp_path):
    """With the real database task queue nothing runs until a worker does: the importer indexes itself."""
    path = write_jsonl(
        tmp_path,
        [record(1, title="اكتشاف أثري نادر في الأقصر", tags=["آثار"]), record(2, body="نص عن الزراعة المائية في الصحراء.")],
    )
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        run_import(path)
        assert list(ArticlePage.objects.live().search("الأقصر")) == [ArticlePage.objects.get(external_id="T-sport-1-20180730")]
        assert ArticlePage.objects.live().search("الزراعة").count() == 1  # body text
        assert ArticlePage.objects.live().search("آثار").count() == 1  # tag names
        queued = [str(task.args_kwargs) for task in DBTaskResult.objects.all()]
    assert not [task for task in queued if "articlepage" in task], queued
    assert len(queued) <= 6  # only the new section's own saves, never one task per article


def test_reference_index_matches_what_wagtail_would_record(home, tmp_path):
    path = write_jsonl(tmp_path, [record(1, tags=["تونس", "الجزائر"])])
    run_import(path)
    imported = ArticlePage.objects.get(external_id="T-sport-1-20180730")
    rows = set(ReferenceIndex.objects.filter(object_id=str(imported.pk)).values_list("to_object_id", "model_path", "content_path"))
    assert len(rows) == 3  # its section and its two tags
    ReferenceIndex.create_or_update_for_object(imported)
    assert set(ReferenceIndex.objects.filter(object_id=str(imported.pk)).values_list("to_object_id", "model_path", "content_path")) == rows
    assert ReferenceIndex.get_references_to(imported.get_parent()).filter(object_id=str(imported.pk)).exists()


def test_imported_article_can_be_edited_and_published_in_the_admin(home, client, tmp_path):
    run_import(write_jsonl(tmp_path, [record(1, tags=["تونس"], author="فرانس 24", summary="ملخص")]))
    imported = ArticlePage.objects.get(external_id="T-sport-1-20180730")
    client.force_login(get_user_model().objects.create_superuser("editor", "editor@example.com", "x"))

    response = client.get(f"/admin/pages/{imported.pk}/edit/")
    assert response.status_code == 200
    data = querydict_from_html(response.content.decode(), form_id="page-edit-form")
    data["title"] = "عنوان عدّله المحرر"
    # The body editor is drawn by JavaScript, so its fields are not in the HTML: send them as the browser would.
    blocks = [("paragraph", rich_text(block.value.source)) for block in imported.body]
    data.update(nested_form_data({"body": streamfield(blocks)}))
    data["action-publish"] = "action-publish"
    response = client.post(f"/admin/pages/{imported.pk}/edit/", data)
    assert response.status_code == 302, response.content.decode()[:2000]

    imported.refresh_from_db()
    assert imported.title == "عنوان عدّله المحرر" and imported.live and not imported.has_unpublished_changes
    assert list(imported.tags.names()) == ["تونس"]
    assert [a.name for a in imported.authors.all()] == ["فرانس 24"]
    assert [strip_tags(block.value.source) for block in imported.body] == [
        "فاز المنتخب الوطني في المباراة رقم 1.",
        "وقال المدرب إن الفريق لعب جيدًا.",
    ]
    assert imported.external_id == "T-sport-1-20180730"
    assert Page.find_problems() == CLEAN_TREE


def test_imported_articles_are_served_and_listed_in_their_section(home, client, tmp_path):
    attack = "<script>alert(1)</script>"
    run_import(write_jsonl(tmp_path, [record(1, title=f"خبر {attack}"), record(2, date="2018-08-01T10:00:00+00:00")]))
    section = SectionPage.objects.get(slug="sport")
    assert [a.external_id for a in section_articles(section)] == ["T-sport-2-20180730", "T-sport-1-20180730"]
    first = ArticlePage.objects.get(external_id="T-sport-1-20180730")
    response = client.get(first.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert attack not in html and "&lt;script&gt;" in html


def test_imported_articles_are_listed_on_their_tag_and_author_pages_after_updates(home, tmp_path):
    from taggit.models import Tag

    from akhbar.news.listings import author_articles, tag_articles
    from akhbar.news.models import Author

    path = write_jsonl(tmp_path, [record(n, tags=["الطقس"], author="مراسل الطقس", date=f"2018-08-0{n}T10:00:00+00:00") for n in (1, 2, 3)])
    run_import(path)
    author, tag = Author.objects.get(name="مراسل الطقس"), Tag.objects.get(name="الطقس")
    newest_first = ["T-sport-3-20180730", "T-sport-2-20180730", "T-sport-1-20180730"]
    assert [a.external_id for a in author_articles(author)] == [a.external_id for a in tag_articles(tag)] == newest_first
    # A re-import that re-dates one article and credits another to someone else.
    write_jsonl(tmp_path, [record(1, tags=["الطقس"], author="مراسل الطقس", date="2018-08-09T10:00:00+00:00"),
                           record(2, tags=["الطقس"], author="مراسلة أخرى", date="2018-08-02T10:00:00+00:00"),
                           record(3, tags=["الطقس"], author="مراسل الطقس", date="2018-08-03T10:00:00+00:00")])
    run_import(path)
    assert [a.external_id for a in author_articles(author)] == ["T-sport-1-20180730", "T-sport-3-20180730"]
    assert [a.external_id for a in tag_articles(tag)] == ["T-sport-1-20180730", "T-sport-3-20180730", "T-sport-2-20180730"]
    assert [a.external_id for a in author_articles(Author.objects.get(name="مراسلة أخرى"))] == ["T-sport-2-20180730"]


def test_the_corpus_sample_imports_cleanly(home, corpus_dir):
    sample = corpus_dir / "ant_sample_1000.jsonl"
    expected = sum(1 for entry in JsonLinesReader(sample))
    result = run_import(sample)
    assert result.error is None, result.output
    assert ArticlePage.objects.live().count() == expected
    assert Page.find_problems() == CLEAN_TREE
    assert SectionPage.objects.child_of(home).count() == 10  # every category code of the two corpus files
    tagged = ArticlePage.objects.filter(tagged_items__isnull=False).first()
    word = tagged.title.split()[0]
    assert tagged in list(ArticlePage.objects.live().search(word)[:100])
    again = run_import(sample)
    assert f"دون تغيير: {expected}" in again.stdout
