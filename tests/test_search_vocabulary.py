"""The index vocabulary (akhbar/search/vocabulary.py): what the site's articles have taught search.

Runs on SQLite, and on PostgreSQL when DATABASE_URL points at one.
"""

import json
import os
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.db import connection

from akhbar.search import learned_table_sizes
from akhbar.search.models import IndexedWord
from akhbar.search.vocabulary import known_words, relearn
from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db


def paragraph(text: str):
    return [("paragraph", f"<p>{text}</p>")]


def counts() -> dict[str, int]:
    return dict(IndexedWord.objects.values_list("word", "documents"))


@pytest.fixture
def news(home):
    return make_section(home, "أخبار", slug="news")


def test_publishing_an_article_teaches_its_words_at_once(news):
    make_article(news, "الحكومة تقر الموازنة", body=paragraph("أقر مجلس الوزراء الموازنة العامة."), lede="")
    make_article(news, "ارتفاع أسعار القمح", body=paragraph("ارتفعت أسعار الحبوب وأثرت في الموازنة."), lede="")
    known = known_words(["الموازنه", "القمح", "الحكومه", "اسعار", "كلمةمجهولة"])
    assert known == {"الموازنه": 2, "القمح": 1, "الحكومه": 1, "اسعار": 1}


def test_known_words_is_one_query_for_many_words(news, django_assert_num_queries):
    make_article(news, "افتتاح معرض الكتاب", body=paragraph("يستمر المعرض أسبوعين."))
    many = [f"كلمة{n}" for n in range(3000)] + ["معرض"]
    with django_assert_num_queries(1):
        assert known_words(many) == {"معرض": 1}
    assert known_words([]) == {}


def test_editing_and_deleting_an_article_moves_the_counts(news):
    first = make_article(news, "افتتاح معرض الكتاب", body=paragraph("يستمر المعرض أسبوعين."), lede="")
    make_article(news, "معرض السيارات", body=paragraph("افتتاح جديد."), lede="")
    assert counts()["معرض"] == 2 and counts()["الكتاب"] == 1
    first.title = "افتتاح مهرجان الموسيقى"
    first.save_revision().publish()
    after_edit = counts()
    assert after_edit["معرض"] == 1 and "الكتاب" not in after_edit and after_edit["مهرجان"] == 1
    assert after_edit["افتتاح"] == 2
    first.delete()
    after_delete = counts()
    assert "مهرجان" not in after_delete and after_delete["افتتاح"] == 1 and after_delete["معرض"] == 1


def test_relearn_recounts_exactly_what_the_index_holds(news):
    for title in ["زيارة الرئيس إلى القاهرة", "الرئيس يستقبل الوفد", "أمطار غزيرة في القاهرة"]:
        make_article(news, title, body=paragraph("تفاصيل الخبر."), lede="")
    expected = counts()
    IndexedWord.objects.all().delete()
    IndexedWord.objects.create(word="كلمةقديمة", documents=7)
    IndexedWord.objects.filter(word="الرييس").delete()
    size = relearn()
    assert counts() == expected
    assert size == len(expected)
    assert expected["الرييس"] == 2 and expected["القاهره"] == 2 and expected["تفاصيل"] == 3
    assert learned_table_sizes()["vocabulary (indexed words)"] == size


def test_update_index_rebuilds_the_vocabulary(news):
    make_article(news, "ارتفاع أسعار القمح", body=paragraph("ارتفعت أسعار الحبوب."), lede="")
    expected = counts()
    IndexedWord.objects.all().delete()
    call_command("update_index", verbosity=0)
    rebuilt = counts()  # plus the words of pages made before indexing ran (Wagtail's welcome page)
    assert rebuilt.items() >= expected.items()
    relearn()
    assert counts() == rebuilt


def write_jsonl(path, titles: list[str]) -> None:
    records = [
        {"id": f"v-{n}", "title": title, "body": "انتهت المباراة بالتعادل.", "category": "sport", "date": f"2026-01-0{n + 1}T08:00:00+00:00"}
        for n, title in enumerate(titles)
    ]
    path.write_text("\n".join(json.dumps(record, ensure_ascii=False) for record in records) + "\n", encoding="utf-8")


def test_imported_and_reimported_articles_move_the_vocabulary(home, tmp_path):
    source = tmp_path / "articles.jsonl"
    write_jsonl(source, [f"مباراة الهلال والنصر {n}" for n in range(3)])
    call_command("import_jsonl", str(source), quiet=True)
    assert known_words(["الهلال", "المباراه", "بالتعادل"]) == {"الهلال": 3, "المباراه": 3, "بالتعادل": 3}
    write_jsonl(source, ["مباراة الهلال والنصر 0", "مباراة الاتحاد والنصر 1", "مباراة الهلال والنصر 2"])
    IndexedWord.objects.filter(word="بالتعادل").update(documents=99)  # what only the recount corrects
    call_command("import_jsonl", str(source), quiet=True)
    assert known_words(["الهلال", "الاتحاد", "بالتعادل"]) == {"الهلال": 2, "الاتحاد": 1, "بالتعادل": 3}


def test_the_vocabulary_counts_every_word_of_the_title_and_the_text_not_stems(news):
    make_article(news, "الولايات المتحدة", body=paragraph("وبالولايات المتحدة"), lede="")
    known = known_words(["الولايات", "وبالولايات", "ولايات", "ولاي", "المتحده"])
    assert known == {"الولايات": 1, "وبالولايات": 1, "المتحده": 1}
    assert connection.vendor in ("sqlite", "postgresql")


def test_the_worker_recounts_the_vocabulary_periodically(news):
    from akhbar.core.scheduler import REGISTRY, run_due_jobs

    make_article(news, "مهرجان الموسيقى العربية", body=paragraph("تشارك فرق من عدة دول."), lede="")
    expected = counts()
    IndexedWord.objects.all().delete()
    assert "relearn_search_vocabulary" in REGISTRY
    assert "relearn_search_vocabulary" in run_due_jobs()
    assert counts() == expected


def test_learned_table_sizes_needs_nothing_but_django():
    """bench/_search_server.py imports it in a fresh `akhbar shell`."""
    code = "import django; django.setup(); from akhbar.search import learned_table_sizes; print(callable(learned_table_sizes))"
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "akhbar.settings.test"}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=environment)
    assert result.stdout.strip() == "True", result.stderr[-500:]
