"""`akhbar import_jsonl`: what an editor importing a news feed sees, including every kind of bad input."""

import datetime as dt
import json
import re
import subprocess
import sys
import zoneinfo
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils.html import escape
from wagtail.models import Page, Revision

from akhbar.news.models import ArticlePage, ArticlePageTag, Author, SectionPage
from tests.conftest import REPO_DIR
from tests.factories import make_section

pytestmark = pytest.mark.django_db
ARABIC = re.compile("[\u0600-\u06ff]")


def record(n: int, **fields) -> dict:
    """A record in the corpus format (../shared/corpus/README.md)."""
    data = {
        "id": f"T-sport-{n}-20180730",
        "title": f"المنتخب يفوز في المباراة رقم {n}",
        "body": f"فاز المنتخب الوطني في المباراة رقم {n}.\n\nوقال المدرب إن الفريق لعب جيدًا.",
        "category": "sport",
        "date": "2018-07-30T07:12:48+00:00",
        "tags": [],
        "summary": None,
        "author": None,
        "source_url": f"https://www.example.com/sport/{n}",
        "publisher": "بي بي سي عربي",
    }
    data.update(fields)
    return data


def write_jsonl(directory: Path, lines, name: str = "articles.jsonl") -> Path:
    """Lines may be records (dicts) or raw str/bytes, so tests can write broken lines."""
    path = directory / name
    encoded = []
    for line in lines:
        if isinstance(line, dict):
            line = json.dumps(line, ensure_ascii=False)
        encoded.append(line if isinstance(line, bytes) else line.encode("utf-8"))
    path.write_bytes(b"\n".join(encoded) + b"\n")
    return path


class Result:
    def __init__(self, stdout: str, stderr: str, error: CommandError | None):
        self.stdout, self.stderr, self.error = stdout, stderr, error

    @property
    def output(self) -> str:
        return self.stdout + self.stderr + (str(self.error) if self.error else "")


def run_import(*paths, **options) -> Result:
    out, err = StringIO(), StringIO()
    try:
        call_command("import_jsonl", *[str(p) for p in paths], stdout=out, stderr=err, **options)
    except CommandError as error:
        return Result(out.getvalue(), err.getvalue(), error)
    return Result(out.getvalue(), err.getvalue(), None)


def article(external_id: str) -> ArticlePage:
    return ArticlePage.objects.get(external_id=external_id)


def test_import_creates_live_articles_with_everything_a_reader_sees(home, tmp_path):
    path = write_jsonl(
        tmp_path,
        [
            record(
                1,
                tags=["كأس العالم", "المنتخب"],
                author="الدوحة - سكاي نيوز عربية",
                summary="ملخص الخبر في جملة.",
                body="الفقرة الأولى عن #كأس_العالم في قطر.\n\nالفقرة الثانية.\nسطر ثانٍ في الفقرة نفسها.",
            ),
            record(2, category="economy", title="البورصة ترتفع"),
        ],
    )
    result = run_import(path)
    assert result.error is None, result.output

    first = article("T-sport-1-20180730")
    assert first.live and not first.has_unpublished_changes
    assert first.title == "المنتخب يفوز في المباراة رقم 1"
    assert first.url_path == f"{home.url_path}sport/{first.slug}/"
    assert first.get_parent().specific.title == "رياضة"
    assert first.section_id == first.get_parent().pk
    assert first.published_at == dt.datetime(2018, 7, 30, 7, 12, 48, tzinfo=dt.UTC)
    assert first.lede == "ملخص الخبر في جملة."
    assert first.source_name == "بي بي سي عربي"
    assert first.source_url == "https://www.example.com/sport/1"
    assert [block.block_type for block in first.body] == ["paragraph", "paragraph"]
    assert first.body[0].value.source == "<p>الفقرة الأولى عن كأس العالم في قطر.</p>"
    assert first.body[1].value.source == "<p>الفقرة الثانية.<br/>سطر ثانٍ في الفقرة نفسها.</p>"
    assert sorted(first.tags.names()) == ["المنتخب", "كأس العالم"]
    assert set(ArticlePageTag.objects.filter(content_object=first).values_list("published_at", flat=True)) == {
        first.published_at
    }
    assert [author.name for author in first.authors.all()] == ["الدوحة - سكاي نيوز عربية"]
    assert first.live_revision_id is not None and first.live_revision_id == first.latest_revision_id
    assert first.live_revision.as_object().title == first.title

    second = article("T-sport-2-20180730")
    assert second.get_parent().specific.title == "اقتصاد"
    assert "جديدة: 2" in result.stdout  # the summary, in Arabic


def test_authors_and_tags_are_shared_between_articles(home, tmp_path):
    credit = "أبوظبي - سكاي نيوز عربية"
    path = write_jsonl(tmp_path, [record(n, author=credit, tags=["الطقس"]) for n in range(1, 4)])
    run_import(path)
    assert Author.objects.filter(name=credit).count() == 1
    author = Author.objects.get(name=credit)
    assert ArticlePage.objects.filter(authors=author).count() == 3
    assert ArticlePage.objects.filter(tags__name="الطقس").count() == 3


def test_sections_map_names_new_sections(home, tmp_path):
    mapping = tmp_path / "sections.json"
    mapping.write_text(
        json.dumps({"sport": "الرياضة العالمية", "economy": {"name": "المال والأعمال", "slug": "money"}}, ensure_ascii=False)
    )
    path = write_jsonl(tmp_path, [record(1), record(2, category="economy"), record(3, category="weirdCategory")])
    result = run_import(path, sections_map=str(mapping))
    assert result.error is None, result.output
    sections = {s.slug: s.title for s in SectionPage.objects.child_of(home)}
    assert sections == {"sport": "الرياضة العالمية", "money": "المال والأعمال", "weird-category": "weirdCategory"}


def test_existing_sections_are_reused_by_slug_or_title(home, tmp_path):
    sport = make_section(home, "رياضة", slug="riyada")
    world = make_section(home, "العالم", slug="world")
    path = write_jsonl(tmp_path, [record(1), record(2, category="internationalNews")])
    run_import(path)
    assert article("T-sport-1-20180730").get_parent().pk == sport.pk
    assert article("T-sport-2-20180730").get_parent().pk == world.pk
    assert SectionPage.objects.count() == 2


def test_parent_section_option_nests_new_sections(home, tmp_path):
    news = make_section(home, "أخبار", slug="news")
    path = write_jsonl(tmp_path, [record(1)])
    result = run_import(path, parent_section="news")
    assert result.error is None, result.output
    assert article("T-sport-1-20180730").get_parent().get_parent().pk == news.pk

    missing = run_import(path, parent_section="no-such-section")
    assert missing.error is not None and "no-such-section" in str(missing.error)
    assert ARABIC.search(str(missing.error))


def test_rerun_creates_no_duplicates_and_counts_unchanged(home, tmp_path):
    path = write_jsonl(tmp_path, [record(n, tags=["تونس"]) for n in range(1, 6)])
    run_import(path)
    revisions = Revision.objects.count()
    again = run_import(path)
    assert again.error is None
    assert ArticlePage.objects.count() == 5
    assert Revision.objects.count() == revisions
    assert "دون تغيير: 5" in again.stdout and "جديدة: 0" in again.stdout
    assert ArticlePageTag.objects.count() == 5


def test_rerun_updates_a_changed_record_with_a_new_live_revision(home, tmp_path):
    path = write_jsonl(tmp_path, [record(1, tags=["قديم"]), record(2)])
    run_import(path)
    before = article("T-sport-1-20180730")
    untouched = article("T-sport-2-20180730")

    write_jsonl(tmp_path, [record(1, title="عنوان مصحح", tags=["جديد"], summary="ملخص جديد"), record(2)])
    result = run_import(path)
    assert result.error is None, result.output

    after = article("T-sport-1-20180730")
    assert after.pk == before.pk and ArticlePage.objects.count() == 2
    assert after.title == after.draft_title == "عنوان مصحح"
    assert after.lede == "ملخص جديد"
    assert after.url_path == before.url_path  # links readers shared keep working
    assert after.live and not after.has_unpublished_changes
    assert after.live_revision_id == after.latest_revision_id != before.live_revision_id
    assert after.live_revision.as_object().title == "عنوان مصحح"
    assert Revision.objects.filter(object_id=str(after.pk)).count() == 2
    assert list(after.tags.names()) == ["جديد"]
    assert ArticlePage.objects.live().search("مصحح").count() == 1
    assert article("T-sport-2-20180730").live_revision_id == untouched.live_revision_id


def test_changed_category_moves_the_article(home, tmp_path):
    path = write_jsonl(tmp_path, [record(1), record(2)])
    run_import(path)
    write_jsonl(tmp_path, [record(1, category="economy"), record(2)])
    run_import(path)
    moved = article("T-sport-1-20180730")
    economy = SectionPage.objects.get(slug="economy")
    assert moved.get_parent().pk == economy.pk and moved.section_id == economy.pk
    assert moved.url_path == f"{economy.url_path}{moved.slug}/"
    assert Page.find_problems() == ([], [], [], [], [])


def test_the_same_id_twice_in_a_file_keeps_the_later_record(home, tmp_path):
    path = write_jsonl(tmp_path, [record(1, title="الأولى"), record(2), record(1, title="الثانية")])
    result = run_import(path, batch_size=10)
    assert result.error is None, result.output
    assert ArticlePage.objects.count() == 2
    assert article("T-sport-1-20180730").title == "الثانية"


def test_same_titles_get_distinct_slugs(home, tmp_path):
    path = write_jsonl(tmp_path, [record(n, title="طقس اليوم") for n in range(1, 4)])
    run_import(path)
    later = write_jsonl(tmp_path, [record(4, title="طقس اليوم")], name="later.jsonl")
    run_import(later, batch_size=1)
    slugs = sorted(ArticlePage.objects.values_list("slug", flat=True))
    assert slugs == ["طقس-اليوم", "طقس-اليوم-2", "طقس-اليوم-3", "طقس-اليوم-4"]


def test_date_only_values_mean_noon_in_the_site_time_zone(home, tmp_path):
    path = write_jsonl(tmp_path, [record(1, date="2016-07-01"), record(2, date="2017-01-22T17:18:00")])
    run_import(path)
    riyadh = zoneinfo.ZoneInfo("Asia/Riyadh")  # RegionalSettings' default
    assert article("T-sport-1-20180730").published_at == dt.datetime(2016, 7, 1, 12, 0, tzinfo=riyadh)
    assert article("T-sport-2-20180730").published_at == dt.datetime(2017, 1, 22, 17, 18, tzinfo=riyadh)


def test_bidi_controls_are_stripped_from_titles_and_credits(home, tmp_path):
    path = write_jsonl(tmp_path, [record(1, title="خبر\u202e عاجل\u200f", author="\u2067فرانس 24\u2069")])
    run_import(path)
    imported = article("T-sport-1-20180730")
    assert imported.title == "خبر عاجل"
    assert imported.authors.get().name == "فرانس 24"


def test_hostile_html_ends_up_as_text(home, tmp_path):
    attack = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    path = write_jsonl(tmp_path, [record(1, title=f"عنوان {attack}", body=f"نص {attack}\n\nفقرة", summary=attack)])
    run_import(path)
    imported = article("T-sport-1-20180730")
    assert imported.title == f"عنوان {attack}"  # kept as text; templates escape it
    rendered = str(imported.body)
    assert "<script" not in rendered and "<img" not in rendered
    assert escape("<script>") in rendered
    assert imported.body[0].value.source == f"<p>نص {escape(attack)}</p>"


def test_summary_repeated_as_first_paragraph_is_shown_once(home, tmp_path):
    path = write_jsonl(tmp_path, [record(1, summary="الجملة الأولى.", body="الجملة الأولى.\n\nالتفاصيل.")])
    run_import(path)
    assert [b.value.source for b in article("T-sport-1-20180730").body] == ["<p>التفاصيل.</p>"]


BAD_LINES = {
    "invalid JSON": '{"id": "x", "title": ',
    "a JSON array": '["id", "title"]',
    "a JSON string": '"just text"',
    "missing id": json.dumps({k: v for k, v in record(9).items() if k != "id"}),
    "empty id": json.dumps(record(9, id="  ")),
    "missing title": json.dumps({k: v for k, v in record(9).items() if k != "title"}),
    "blank title": json.dumps(record(9, title=" \u200f ")),
    "title not text": json.dumps(record(9, title=42)),
    "body not text": json.dumps(record(9, body={"html": "<p>x</p>"})),
    "tags not a list": json.dumps(record(9, tags="تونس")),
    "tags with a number": json.dumps(record(9, tags=["تونس", 3])),
    "invalid date": json.dumps(record(9, date="2018-13-45")),
    "missing date": json.dumps(record(9, date=None)),
    "missing category": json.dumps(record(9, category="")),
    "script source address": json.dumps(record(9, source_url="javascript:alert(1)")),
    "title too long": json.dumps(record(9, title="خبر " * 100)),
}


@pytest.mark.parametrize("kind", list(BAD_LINES))
def test_a_bad_line_is_reported_with_its_number_and_skipped(home, tmp_path, kind):
    path = write_jsonl(tmp_path, [record(1), BAD_LINES[kind], record(2)])
    result = run_import(path)
    assert ArticlePage.objects.count() == 2
    assert not ArticlePage.objects.filter(external_id="T-sport-9-20180730").exists()
    line_report = [line for line in result.stderr.splitlines() if "articles.jsonl" in line]
    assert len(line_report) == 1 and "2" in line_report[0]
    assert ARABIC.search(line_report[0].split(":", 1)[1]), line_report  # the reason, in Arabic
    assert result.error is not None  # the exit status tells scripts that lines were skipped


def test_bad_line_messages_name_the_problem(home, tmp_path):
    lines = [record(1), BAD_LINES["invalid JSON"], BAD_LINES["invalid date"], BAD_LINES["missing title"]]
    result = run_import(write_jsonl(tmp_path, lines))
    assert "السطر 2" in result.stderr and "JSON" in result.stderr
    assert "السطر 3" in result.stderr and "2018-13-45" in result.stderr
    assert "السطر 4" in result.stderr and "«title»" in result.stderr


def test_non_utf8_bytes_are_reported_and_skipped(home, tmp_path):
    cp1256 = json.dumps(record(5, title="خبر بترميز ويندوز"), ensure_ascii=False).encode("cp1256")
    path = write_jsonl(tmp_path, [record(1), cp1256, record(2)])
    result = run_import(path)
    assert ArticlePage.objects.count() == 2
    assert "السطر 2" in result.stderr and "UTF-8" in result.stderr


def test_a_huge_line_is_skipped_without_reading_it_whole(home, tmp_path):
    huge = record(5, body="كلمة " * 500_000)  # about 5 MB of UTF-8
    path = write_jsonl(tmp_path, [record(1), huge, record(2)])
    result = run_import(path)
    assert ArticlePage.objects.count() == 2
    assert "السطر 2" in result.stderr
    assert not ArticlePage.objects.filter(external_id="T-sport-5-20180730").exists()


def test_blank_lines_and_a_byte_order_mark_are_fine(home, tmp_path):
    path = tmp_path / "bom.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(record(1)).encode() + b"\n\n   \n" + json.dumps(record(2)).encode())
    result = run_import(path)
    assert result.error is None, result.output
    assert ArticlePage.objects.count() == 2


def test_a_failing_record_leaves_nothing_half_written(home, tmp_path, monkeypatch):
    """A database-level failure in one record rolls back its batch; the others are retried alone."""
    from akhbar.importers import writer

    original = writer.ArticleWriter._new_page

    def fail_on_second(self, item, *args):
        if item.external_id == "T-sport-2-20180730":
            raise ValueError("simulated failure")
        return original(self, item, *args)

    monkeypatch.setattr(writer.ArticleWriter, "_new_page", fail_on_second)
    path = write_jsonl(tmp_path, [record(1, tags=["أ"]), record(2, tags=["ب"]), record(3, tags=["ج"])])
    result = run_import(path)
    assert sorted(ArticlePage.objects.values_list("external_id", flat=True)) == [
        "T-sport-1-20180730",
        "T-sport-3-20180730",
    ]
    assert "السطر 2" in result.stderr
    assert Page.find_problems() == ([], [], [], [], [])
    section = SectionPage.objects.get(slug="sport")
    assert section.numchild == 2
    assert ArticlePageTag.objects.count() == 2


@pytest.mark.parametrize("problem", ["missing", "directory", "empty", "blank"])
def test_unusable_files_stop_with_a_clear_arabic_error(home, tmp_path, problem):
    path = tmp_path / "input.jsonl"
    if problem == "directory":
        path.mkdir()
    elif problem == "empty":
        path.write_bytes(b"")
    elif problem == "blank":
        path.write_bytes(b"\n  \n")
    good = write_jsonl(tmp_path, [record(1)], name="good.jsonl")
    result = run_import(good, path)
    assert result.error is not None and ARABIC.search(str(result.error))
    assert "input.jsonl" in str(result.error)
    assert not ArticlePage.objects.exists()  # checked before anything is written


def test_missing_file_on_the_command_line_gives_no_traceback(tmp_path):
    completed = subprocess.run(
        [sys.executable, "-m", "akhbar.manage", "import_jsonl", str(tmp_path / "nothing.jsonl")],
        cwd=REPO_DIR,
        capture_output=True,
        text=True,
        env={"DJANGO_SETTINGS_MODULE": "akhbar.settings.test", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
        timeout=120,
    )
    assert completed.returncode != 0
    assert "Traceback" not in completed.stderr
    assert "nothing.jsonl" in completed.stderr and ARABIC.search(completed.stderr)


def test_bad_sections_map_is_refused(home, tmp_path):
    mapping = tmp_path / "map.json"
    mapping.write_text('["sport"]')
    result = run_import(write_jsonl(tmp_path, [record(1)]), sections_map=str(mapping))
    assert result.error is not None and ARABIC.search(str(result.error))
    assert not ArticlePage.objects.exists()


def test_a_database_just_migrated_gets_a_home_page_that_lists_the_import(tmp_path, client):
    """Without a site set up (only Wagtail's welcome page), the import makes the Akhbar home
    page first, so the sections hang under it and the front page lists the new stories."""
    from akhbar.news.models import HomePage

    assert not HomePage.objects.exists()
    result = run_import(write_jsonl(tmp_path, [record(1)]))
    assert result.error is None, result.output
    home = HomePage.objects.get()
    section = SectionPage.objects.get()
    assert section.get_parent().specific == home
    assert article("T-sport-1-20180730").url.startswith("/sport/")
    response = client.get("/")
    assert "المنتخب يفوز في المباراة رقم 1" in response.content.decode()
