"""A small but realistic news site for the browser tests, built with tests/factories.py.

أخبار (with the nested أخبار حول العالم) holds more than two batches of cards so «show more»
has something to append twice; one long article carries every kind of body block.
"""

import datetime as dt
import io
import json
from dataclasses import dataclass

from django.core.files.images import ImageFile
from django.utils import timezone
from PIL import Image as PILImage
from wagtail.images import get_image_model

from akhbar.news.listings import PAGE_SIZE
from tests.factories import make_article, make_author, make_home, make_section

WORLD_ARTICLES = PAGE_SIZE * 2 + 2  # three batches: full, full, a remainder
EMBED_URL = "https://www.youtube.com/watch?v=aqz-KE-bpKQ"
PARAGRAPH = (
    "<p>قال مسؤولون في الحكومة إن الاجتماع تناول ملفات الطاقة والنقل والتعليم، "
    "وإن اللجان المختصة ستعرض توصياتها خلال الأسابيع المقبلة بعد مشاورات مع الخبراء.</p>"
)


@dataclass(frozen=True)
class ReaderSite:
    """Addresses and titles only: the tests read pages through the browser, never the database."""

    news_title: str
    news_path: str
    world_title: str
    world_path: str
    article_title: str
    article_path: str
    tag_slug: str
    author_path: str
    base_url: str = ""


def _sample_image(title: str):
    """A real PNG, so cards and the body render Wagtail renditions as a reader would see them."""
    buffer = io.BytesIO()
    PILImage.new("RGB", (1280, 720), (32, 96, 128)).save(buffer, format="PNG")
    return get_image_model().objects.create(title=title, file=ImageFile(buffer, name="sample.png"))


def _long_body(image_id: int) -> str:
    blocks = [{"type": "paragraph", "value": PARAGRAPH} for _ in range(6)]
    blocks.append({"type": "subheading", "value": "ردود الفعل"})
    blocks.append(
        {
            "type": "quotation",
            "value": {"text": "نريد حلولًا عملية يلمسها الناس في حياتهم اليومية.", "speaker": "ليلى منصور", "role": "وزيرة النقل"},
        }
    )
    blocks.append({"type": "image", "value": {"image": image_id, "caption": "جانب من الاجتماع", "credit": "أخبار"}})
    blocks += [{"type": "paragraph", "value": PARAGRAPH} for _ in range(6)]
    blocks.append({"type": "embed", "value": {"url": EMBED_URL, "title": "تسجيل المؤتمر الصحفي"}})
    blocks += [{"type": "paragraph", "value": PARAGRAPH} for _ in range(12)]
    return json.dumps(blocks, ensure_ascii=False)


def build_reader_site() -> ReaderSite:
    home = make_home()
    news = make_section(home, "أخبار", slug="news")
    world = make_section(news, "أخبار حول العالم", slug="world")
    sport = make_section(home, "رياضة", slug="sport")
    make_section(home, "اقتصاد", slug="economy")
    reporter = make_author("سلمى العبيدي", slug="salma")
    image = _sample_image("صورة الاجتماع")

    now = timezone.now()
    for n in range(WORLD_ARTICLES):
        make_article(
            world,
            f"خبر من العالم رقم {n + 1}",
            tags=["تونس"] if n % 2 else ["الأمم المتحدة"],
            authors=[reporter],
            published_at=now - dt.timedelta(hours=n + 1),
            featured_image=image if n < 3 else None,
        )
    for n in range(3):
        make_article(sport, f"نتيجة مباراة رقم {n + 1}", tags=["كرة القدم"], published_at=now - dt.timedelta(hours=n + 2))

    long_article = make_article(
        world,
        "اجتماع حكومي يبحث خطة النقل العام",
        kicker="خاص",
        tags=["تونس", "النقل"],
        authors=[reporter],
        published_at=now - dt.timedelta(minutes=5),
        body=_long_body(image.pk),
        featured_image=image,
        source_name="روسيا اليوم",
        source_url="https://example.org/source",
    )
    return ReaderSite(
        news_title=news.title,
        news_path=news.url,
        world_title=world.title,
        world_path=world.url,
        article_title=long_article.title,
        article_path=long_article.url,
        tag_slug="تونس",
        author_path=reporter.get_url(),
    )
