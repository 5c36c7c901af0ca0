"""Article model behaviour editors and readers rely on."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from akhbar.news.models import ArticlePage, ArticlePageTag
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def test_publication_date_defaults_to_first_publish(news_tree):
    article = ArticlePage(title="خبر بلا تاريخ", slug="no-date", lede="", live=False)
    news_tree["world"].add_child(instance=article)
    assert article.published_at is None  # a draft has no publication date
    before = timezone.now()
    article.save_revision().publish()
    article.refresh_from_db()
    assert article.published_at is not None
    assert article.published_at == article.first_published_at
    assert article.published_at >= before - dt.timedelta(seconds=1)


def test_editable_publication_date_is_kept(news_tree):
    chosen = timezone.now() - dt.timedelta(days=400)
    article = make_article(news_tree["sport"], published_at=chosen)
    assert article.published_at == chosen


def test_article_remembers_its_section_for_listings(news_tree):
    article = make_article(news_tree["world"])
    assert article.section_id == news_tree["world"].pk


def test_tag_links_carry_the_article_date(news_tree):
    article = make_article(news_tree["world"], tags=["تونس", "الطقس"])
    dates = set(ArticlePageTag.objects.filter(content_object=article).values_list("published_at", flat=True))
    assert dates == {article.published_at}


def test_external_id_is_unique_when_set_and_blank_means_none(news_tree):
    make_article(news_tree["world"], external_id="X-1")
    blank_a = make_article(news_tree["world"], external_id="")
    blank_b = make_article(news_tree["world"], external_id="")
    assert blank_a.external_id is None and blank_b.external_id is None
    with pytest.raises(ValidationError):
        make_article(news_tree["world"], external_id="X-1")


def test_arabic_title_gets_a_trimmed_arabic_slug(news_tree):
    article = ArticlePage(title="  مهرجان\u202e قرطاج الدولي يفتتح دورته الجديدة بعرض موسيقي كبير على المسرح الأثري ويستقبل آلاف الزوار  ", lede="")
    news_tree["world"].add_child(instance=article)
    article.refresh_from_db()
    assert article.title.startswith("مهرجان قرطاج")
    assert "\u202e" not in article.title
    assert article.slug.startswith("مهرجان-قرطاج-الدولي")
    assert len(article.slug) <= 80


def test_reading_time_counts_body_words(news_tree):
    words = " ".join(["كلمة"] * 400)
    article = make_article(news_tree["world"], body=[("paragraph", f"<p>{words}</p>")], lede="")
    assert article.reading_minutes == 3


def test_uploaded_pictures_get_their_reader_sizes_from_the_worker(django_capture_on_commit_callbacks):
    """An editor's upload queues one task that makes every size the templates use."""
    import io

    from django.core.files.images import ImageFile
    from PIL import Image as PILImage
    from wagtail.images import get_image_model

    from akhbar.news.renditions import READER_RENDITIONS

    buffer = io.BytesIO()
    PILImage.new("RGB", (1600, 900), "#2a6").save(buffer, "JPEG")
    with django_capture_on_commit_callbacks(execute=True):
        image = get_image_model().objects.create(title="صورة", file=ImageFile(buffer, name="upload.jpg"))
    made = set(image.renditions.values_list("filter_spec", flat=True))
    assert made == set(READER_RENDITIONS)


def test_long_slug_from_the_admin_is_trimmed_at_a_word(news_tree):
    long_slug = "-".join(["الحكومة", "تعلن", "خطة", "جديدة", "لدعم", "المزارعين"] * 5)
    article = ArticlePage(title="الحكومة تعلن خطة جديدة", slug=long_slug, lede="")
    news_tree["world"].add_child(instance=article)
    article.refresh_from_db()
    assert len(article.slug) <= 80
    assert long_slug.startswith(article.slug)
    assert not article.slug.endswith("-")
