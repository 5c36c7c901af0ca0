"""Latin-script names in search: the admin's alias table, proposed aliases, and what readers find.

Runs on SQLite, and on PostgreSQL when DATABASE_URL points at one. Searches go through
Wagtail's own entry points (`.search()`, the API's `?search=`) with the site's backend.
"""

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.utils import translation

from akhbar.aliases.models import Alias, AliasProposal
from akhbar.aliases.proposals import propose_aliases, romanise
from akhbar.aliases.validation import clean_arabic_name, clean_latin_name
from tests.factories import make_article, make_section
from tests.test_admin import editor_client  # noqa: F401  (fixture: a logged-in superuser)
from tests.test_search_backend import found, paragraph

pytestmark = pytest.mark.django_db
ALIASES_URL = "/admin/snippets/aliases/alias/"
PROPOSALS_URL = "/admin/snippets/aliases/aliasproposal/"
ARABIC_LETTER = "\u0627"


FILLER = [
    ("الحكومة تقر الموازنة", "أقر مجلس الوزراء الموازنة العامة وسط نقاش حول السلاح والأمن."),
    ("هطول أمطار غزيرة", "توقعت الأرصاد أمطارا على السواحل ونفسه الطقس غدا."),
    ("افتتاح معرض الكتاب", "يستمر المعرض أسبوعين في المدينة."),
    ("ارتفاع أسعار القمح", "ارتفعت أسعار الحبوب عالميا."),
    ("فوز الفريق بالكأس", "احتفل المشجعون بالفوز في ملعب المدينة."),
    ("إطلاق قمر صناعي", "انطلق الصاروخ فجرا."),
]


@pytest.fixture
def section(home):
    """Unrelated articles, some with ordinary words a Latin name could be mistaken for (نفس, السلاح)."""
    news = make_section(home, "أخبار", slug="news")
    for title, text in FILLER:
        make_article(news, title, body=paragraph(text))
    return news


# -- search ---------------------------------------------------------------------------------


def test_a_latin_name_finds_the_arabic_articles(section):
    make_article(section, "ميركل تلتقي وزراء الاتحاد الأوروبي", body=paragraph("قالت المستشارة ميركل إن المحادثات بناءة."))
    make_article(section, "المستشارة الألمانية في باريس", body=paragraph("وصلت ميركل إلى باريس صباح اليوم."))
    assert set(found("Merkel")) == {"ميركل تلتقي وزراء الاتحاد الأوروبي", "المستشارة الألمانية في باريس"}
    assert set(found("merkel")) == set(found("MERKEL")) == set(found("Merkel"))


def test_a_latin_name_matches_no_ordinary_words(section):
    # Nothing about Merkel on the site: the query must not fall back on words that merely share letters.
    assert found("Merkel") == []
    assert found("Navas") == []  # نفس «self» is in the filler: an ordinary word, never a name


def test_multi_word_names_match_word_by_word(section):
    make_article(section, "ريال مدريد يفوز على برشلونة", body=paragraph("سجل ريال مدريد هدفين في الشوط الثاني."))
    make_article(section, "سعر الريال اليوم", body=paragraph("استقر الريال أمام الدولار."))
    results = found("Real Madrid")
    assert results[0] == "ريال مدريد يفوز على برشلونة"


def test_place_names_written_with_the_article(section):
    make_article(section, "معارك قرب الحديدة", body=paragraph("تجددت المعارك في محافظة الحديدة غرب اليمن."))
    assert found("Hodeidah") == ["معارك قرب الحديدة"]
    assert found("Al-Hodeidah") == ["معارك قرب الحديدة"]


def test_a_typed_article_asks_for_the_name_with_it(section):
    make_article(section, "قناة الجزيرة تبث برنامجا جديدا", body=paragraph("أعلنت الجزيرة عن برنامج حواري."))
    make_article(section, "رحلة إلى جزيرة في المحيط", body=paragraph("تقع جزيرة صغيرة قرب الساحل."))
    # The island comes after (it shares only the stem), never first.
    assert found("Al Jazeera")[0] == "قناة الجزيرة تبث برنامجا جديدا"
    assert found("Al-Jazeera")[0] == "قناة الجزيرة تبث برنامجا جديدا"


def test_a_latin_word_the_articles_use_keeps_matching_itself(section):
    make_article(section, "تقرير جديد لهيئة BBC", body=paragraph("نشرت BBC تقريرا عن المناخ."))
    assert found("BBC") == ["تقرير جديد لهيئة BBC"]


def test_the_api_finds_arabic_articles_for_a_latin_name(client, section):
    article = make_article(section, "لقاء بين ميركل وماكرون", body=paragraph("بحث ميركل وماكرون ملف الهجرة."))
    response = client.get("/api/v2/pages/", {"search": "Merkel", "type": "news.ArticlePage"})
    assert response.status_code == 200
    assert [item["id"] for item in response.json()["items"]] == [article.pk]


def test_a_confirmed_alias_takes_precedence_over_learned_spellings(section):
    make_article(section, "نتنياهو يزور واشنطن", body=paragraph("التقى نتنياهو مسؤولين أمريكيين."))
    assert found("Bibi") == []  # no spelling of "Bibi" is نتنياهو
    Alias.objects.create(latin="Bibi", arabic="نتنياهو")
    assert found("Bibi") == ["نتنياهو يزور واشنطن"]


def test_an_alias_for_a_multi_word_name(section):
    make_article(section, "حزب الله يعلن موقفه", body=paragraph("قال حزب الله في بيان إن الوضع هادئ."))
    Alias.objects.create(latin="Hezbollah", arabic="حزب الله")
    assert found("Hezbollah") == ["حزب الله يعلن موقفه"]


def test_an_alias_tied_to_a_tag_takes_the_tags_name(section):
    from taggit.models import Tag

    article = make_article(section, "زيارة رسمية إلى أنقرة", tags=["أنقرة"], body=paragraph("وصل الوفد إلى أنقرة."))
    alias = Alias(latin="Angora", tag=Tag.objects.get(name="أنقرة"))
    alias.full_clean()
    alias.save()
    assert alias.arabic == "أنقرة"
    assert found("Angora") == [article.title]


# -- validation -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("P" * 101, "too_long"),
        ("Pu\u202etin", "bidi"),
        ("<script>alert(1)</script>", "markup"),
        ("Putin &amp; co", "markup"),
        ("بوتين", "not_latin"),
        ("12345", "not_latin"),
        ("a b c d e f g", "too_many_words"),
    ],
)
def test_bad_latin_names_are_refused(value, code):
    with pytest.raises(ValidationError) as error:
        clean_latin_name(value)
    assert error.value.code == code


@pytest.mark.parametrize("value", ["", "Putin", "<b>بوتين</b>", "بوتين\u2067", "ب" * 101])
def test_bad_arabic_names_are_refused(value):
    with pytest.raises(ValidationError):
        clean_arabic_name(value)


def test_good_names_are_kept_tidy():
    assert clean_latin_name("  Real   Madrid ") == "Real Madrid"
    assert clean_latin_name("Jean-Yves Le Drian") == "Jean-Yves Le Drian"
    assert clean_latin_name("Müller") == "Müller"
    assert clean_arabic_name("ريال  مدريد") == "ريال مدريد"


def test_validation_messages_are_arabic():
    with translation.override("ar"):
        for bad in ["", "<script>", "Pu\u202etin", "بوتين"]:
            with pytest.raises(ValidationError) as error:
                clean_latin_name(bad)
            assert ARABIC_LETTER in str(error.value.messages[0])


# -- admin ------------------------------------------------------------------------------------


def test_editors_add_edit_and_delete_aliases_in_the_admin(editor_client):
    listing = editor_client.get(ALIASES_URL)
    assert listing.status_code == 200
    response = editor_client.post(f"{ALIASES_URL}add/", {"latin": "Putin", "arabic": "بوتين"})
    assert response.status_code == 302, response.content[:2000]
    alias = Alias.objects.get()
    assert (alias.latin_key, alias.arabic_key) == ("putin", "بوتين")
    assert "Putin" in editor_client.get(ALIASES_URL).content.decode()

    response = editor_client.post(f"{ALIASES_URL}edit/{alias.pk}/", {"latin": "Poutine", "arabic": "بوتين"})
    assert response.status_code == 302
    alias.refresh_from_db()
    assert alias.latin_key == "poutine"

    response = editor_client.post(f"{ALIASES_URL}delete/{alias.pk}/")
    assert response.status_code == 302
    assert not Alias.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        {"latin": "", "arabic": "بوتين"},
        {"latin": "<img src=x onerror=alert(1)>", "arabic": "بوتين"},
        {"latin": "Putin", "arabic": "Putin"},
        {"latin": "Pu\u202etin", "arabic": "بوتين"},
        {"latin": "P" * 5000, "arabic": "بوتين"},
        {"latin": "Putin", "arabic": ""},
    ],
)
def test_the_admin_refuses_bad_aliases_in_arabic(editor_client, data):
    response = editor_client.post(f"{ALIASES_URL}add/", data)
    assert response.status_code == 200  # the form again, with its errors; never a 500
    assert not Alias.objects.exists()
    soup = BeautifulSoup(response.content, "html.parser")
    errors = " ".join(node.get_text(" ") for node in soup.select(".error-message, .w-field__errors, .help-critical"))
    assert errors.strip() and any("\u0600" <= ch <= "\u06ff" for ch in errors), errors


def test_the_same_alias_twice_is_refused(editor_client):
    Alias.objects.create(latin="Putin", arabic="بوتين")
    response = editor_client.post(f"{ALIASES_URL}add/", {"latin": "PUTIN", "arabic": "بوتين"})
    assert response.status_code == 200
    assert Alias.objects.count() == 1


# -- proposals --------------------------------------------------------------------------------


def test_frequent_tags_are_proposed_with_a_latin_spelling(section):
    for _ in range(3):
        make_article(section, tags=["ميركل"])
    make_article(section, tags=["نادر"])  # one article: not worth proposing
    assert propose_aliases() == 1
    proposal = AliasProposal.objects.get()
    assert proposal.arabic == "ميركل" and proposal.status == AliasProposal.PROPOSED
    assert proposal.articles == 3
    assert proposal.latin.lower().startswith("m")
    assert propose_aliases() == 0  # proposed once


def test_frequent_names_in_the_articles_are_proposed_too(section):
    for n in range(3):
        make_article(section, f"جولة جديدة {n}", body=paragraph("ترى ميركل أن سلاح الحوار أقوى."))
        make_article(section, f"تقرير {n}", body=paragraph("تراجع تجارة السلاح في العالم."))
    propose_aliases(min_name_articles=3)
    proposed = dict(AliasProposal.objects.values_list("arabic", "latin"))
    assert "ميركل" in proposed and proposed["ميركل"].lower().startswith("m")
    assert not {"سلاح", "السلاح"} & set(proposed)  # an ordinary noun: the site writes it with the article too
    assert AliasProposal.objects.get(arabic="ميركل").tag is None


def test_romanise_keeps_the_article_readable():
    assert romanise("الحديدة").startswith("Al-")
    assert romanise("ريال مدريد") .count(" ") == 1
    assert romanise("") == ""


def test_accepting_a_proposal_in_the_admin_makes_it_an_alias(editor_client, section):
    for _ in range(2):
        make_article(section, "ميركل في بروكسل", tags=["ميركل"])
    propose_aliases()
    proposal = AliasProposal.objects.get()
    assert editor_client.get(PROPOSALS_URL).status_code == 200
    response = editor_client.post(f"{PROPOSALS_URL}edit/{proposal.pk}/", {"latin": "Merkel", "status": "accepted"})
    assert response.status_code == 302, response.content[:2000]
    proposal.refresh_from_db()
    assert proposal.status == AliasProposal.ACCEPTED and proposal.decided_at
    alias = Alias.objects.get()
    assert (alias.latin, alias.arabic, alias.tag_id) == ("Merkel", "ميركل", proposal.tag_id)


def test_a_rejected_proposal_is_not_proposed_again(editor_client, section):
    for _ in range(2):
        make_article(section, tags=["ميركل"])
    propose_aliases()
    proposal = AliasProposal.objects.get()
    response = editor_client.post(f"{PROPOSALS_URL}edit/{proposal.pk}/", {"latin": proposal.latin, "status": "rejected"})
    assert response.status_code == 302
    assert not Alias.objects.exists()
    assert propose_aliases() == 0
    assert AliasProposal.objects.get().status == AliasProposal.REJECTED


def test_propose_aliases_command(section):
    from io import StringIO

    from django.core.management import call_command

    for _ in range(2):
        make_article(section, tags=["ماكرون"])
    out = StringIO()
    call_command("propose_aliases", stdout=out)
    assert "1" in out.getvalue()
    assert AliasProposal.objects.filter(arabic="ماكرون").exists()
