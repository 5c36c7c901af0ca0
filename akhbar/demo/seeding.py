"""Build the demo site through Wagtail's own API, all or nothing.

Pages are created with add_child + save_revision().publish(), exactly as an editor's work
would be, so they have live revisions, are editable in the admin and keep the tree
consistent. Everything happens in one transaction; the picture files written on the way are
deleted again if anything fails, so a failed run leaves nothing half-seeded.

Wagtail 8 updates the search index through the task queue. With the database task
backend and no worker running yet (the first `make run`), the seeded pages would not be
searchable until the worker caught up, so the seeder indexes what it created itself before
it returns. The queued index tasks then only repeat that work when the worker runs them.
"""

import datetime as dt
import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from modelsearch import index
from wagtail.images import get_image_model
from wagtail.models import Collection, Page, ReferenceIndex, Site
from wagtail.signal_handlers import disable_reference_index_auto_update

from akhbar.arabic.text import arabic_slug
from akhbar.core.models import RegionalSettings
from akhbar.navigation.models import NavigationSettings
from akhbar.news.models import ArticlePage, Author, HomePage, SectionPage, StandardPage
from akhbar.news.renditions import pregenerate_renditions

from .artwork import FEATURED_SIZE, PORTRAIT_SIZE, render_artwork, seed_for
from .content import ArticleSpec, ContentError, DemoContent, SectionSpec

COLLECTION_NAME = "المحتوى التجريبي"
HOME_SLUG = "home"


@dataclass
class SeedSummary:
    articles: int = 0
    sections: int = 0
    authors: int = 0
    pages: int = 0
    images: int = 0


def site_has_content() -> bool:
    """True once there is any article or an Akhbar home page (`--if-empty` then does nothing)."""
    return ArticlePage.objects.exists() or HomePage.objects.exists()


def site_has_pages_to_keep() -> bool:
    """True when seeding would mix the demo into real content: any article, or a home page with
    children. A bare home page (as `akhbar serve --no-seed` leaves) is filled in instead."""
    return ArticlePage.objects.exists() or HomePage.objects.filter(numchild__gt=0).exists() or HomePage.objects.count() > 1


class DemoSeeder:
    """Creates the demo site from `content`; `run()` is the only entry point."""

    def __init__(self, content: DemoContent, now: dt.datetime | None = None):
        self.content = content
        self.now = now or timezone.now()
        self.summary = SeedSummary()
        self._written_files: list = []
        self._created: list = []
        self._sections: dict[str, SectionPage] = {}
        self._palettes: dict[str, SectionSpec] = {}
        self._authors: dict[str, Author] = {}
        self._collection: Collection | None = None

    def run(self) -> SeedSummary:
        try:
            # The seeder writes reference-index rows itself at the end (see _index_created), so
            # the ~160 per-save reference tasks Wagtail would queue are not needed.
            with transaction.atomic(), disable_reference_index_auto_update():
                home, site = self._home()
                self._build_sections(home)
                self._build_authors()
                self._build_articles()
                pages = self._build_pages(home)
                self._settings(site, pages)
                self._build_campaign(home, site)
                self._index_created()
        except BaseException:
            self._delete_written_files()
            raise
        # The first reader should not wait for dozens of resized pictures.
        for obj in self._created:
            if isinstance(obj, get_image_model()):
                pregenerate_renditions(obj)
        return self.summary

    # Site and home page -------------------------------------------------------------------

    def _home(self) -> tuple[HomePage, Site]:
        """Put an Akhbar home page under the root (or reuse a bare one), serve it from the
        default site, drop Wagtail's welcome page."""
        root = Page.get_first_root_node()
        home = HomePage.objects.order_by("path").first()
        slug_taken = False
        if home is not None:
            home.title, home.tagline = self.content.home_title, self.content.home_tagline
            home.save()
        else:
            slug_taken = root.get_children().filter(slug=HOME_SLUG).exists()
            home = HomePage(
                title=self.content.home_title,
                slug="akhbar-home" if slug_taken else HOME_SLUG,
                tagline=self.content.home_tagline,
            )
            root.add_child(instance=home)

        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            site = Site(hostname="localhost", port=80, is_default_site=True)
        site.root_page = home
        site.site_name = self.content.site_name
        site.save()

        # Wagtail's «Welcome to your new Wagtail site!» page: a plain Page, childless, no site's root.
        welcome_pages = (
            root.get_children()
            .exact_type(Page)
            .filter(numchild=0)
            .exclude(pk__in=Site.objects.values_list("root_page_id", flat=True))
        )
        for welcome in welcome_pages:
            welcome.delete()
        if slug_taken and not root.get_children().filter(slug=HOME_SLUG).exists():
            home.slug = HOME_SLUG
            home.save()
        home.save_revision().publish()
        self._created.append(home)
        return home, site

    # Sections ----------------------------------------------------------------------------

    def _build_sections(self, home: HomePage) -> None:
        def build(spec: SectionSpec, parent, top_level: bool) -> None:
            section = SectionPage(title=spec.title, slug=spec.slug, intro=spec.intro, show_in_menus=top_level)
            parent.add_child(instance=section)
            section.save_revision().publish()
            self._sections[spec.key] = section
            self._palettes[spec.key] = spec
            self._created.append(section)
            self.summary.sections += 1
            for child in spec.children:
                build(child, section, top_level=False)

        for spec in self.content.sections:
            build(spec, home, top_level=True)

    # Authors -----------------------------------------------------------------------------

    def _build_authors(self) -> None:
        for spec in self.content.authors:
            photo = self._image(
                f"author-{spec.key}",
                title=f"صورة رمزية: {spec.name}",
                description=f"رسم تجريدي يرمز إلى {spec.name}",
                colours=spec.colours,
                size=PORTRAIT_SIZE,
            )
            slug = arabic_slug(spec.name, max_length=100) or spec.key
            author, _ = Author.objects.update_or_create(
                slug=slug, defaults={"name": spec.name, "role": spec.role, "bio": spec.bio, "photo": photo}
            )
            self._authors[spec.key] = author
            self._created.append(author)
            self.summary.authors += 1

    # Articles ----------------------------------------------------------------------------

    def _build_articles(self) -> None:
        # Oldest first, so the page tree lists articles in the order they were published.
        for spec in sorted(self.content.articles, key=lambda a: -a.hours_ago):
            self._article(spec)

    def _article(self, spec: ArticleSpec) -> ArticlePage:
        section = self._sections[spec.section]
        palette = self._palettes[spec.section]
        published_at = self.now - dt.timedelta(hours=spec.hours_ago)
        featured = self._image(
            spec.key,
            title=spec.title,
            description=f"رسم تجريدي بدرجات {palette.palette_name} (صورة توضيحية)",
            colours=palette.colours,
            size=FEATURED_SIZE,
        )
        article = ArticlePage(
            title=spec.title,
            slug=arabic_slug(spec.title) or spec.key,
            kicker=spec.kicker,
            lede=spec.lede,
            body=self._body(spec, palette),
            featured_image=featured,
            source_name=spec.source_name,
            source_url=spec.source_url,
            published_at=published_at,
            first_published_at=published_at,
        )
        section.add_child(instance=article)
        article.tags.add(*spec.tags)
        article.authors.set([self._authors[key] for key in spec.authors])
        article.save_revision().publish()
        self._created.append(article)
        self.summary.articles += 1
        return article

    def _body(self, spec: ArticleSpec, palette: SectionSpec):
        raw = []
        pictures = 0
        for block in spec.body:
            kind = block["type"]
            if kind == "paragraph":
                raw.append({"type": kind, "value": f"<p>{escape(block['text'])}</p>"})
            elif kind == "subheading":
                raw.append({"type": kind, "value": block["text"]})
            elif kind == "quotation":
                raw.append({"type": kind, "value": {k: block[k] for k in ("text", "speaker", "role")}})
            elif kind == "image":
                pictures += 1
                picture = self._image(
                    f"{spec.key}-{pictures}",
                    title=block["caption"],
                    description=f"رسم تجريدي بدرجات {palette.palette_name} (صورة توضيحية)",
                    colours=(palette.colours[1], palette.colours[0]),
                    size=FEATURED_SIZE,
                )
                raw.append({"type": kind, "value": {"image": picture.pk, "caption": block["caption"], "credit": block["credit"]}})
            elif kind == "embed":
                raw.append({"type": kind, "value": {"url": block["url"], "title": block["title"]}})
        stream_block = ArticlePage._meta.get_field("body").stream_block
        value = stream_block.to_python(raw)
        try:
            stream_block.clean(value)
        except ValidationError as exc:
            raise ContentError(f"articles.json article {spec.key}: body does not validate: {exc}") from None
        return value

    # Standard pages and settings ---------------------------------------------------------

    def _build_pages(self, home: HomePage) -> dict[str, StandardPage]:
        pages = {}
        for spec in self.content.pages:
            page = StandardPage(title=spec.title, slug=spec.slug, body=spec.body, show_in_menus=False)
            home.add_child(instance=page)
            page.save_revision().publish()
            pages[spec.key] = page
            self._created.append(page)
            self.summary.pages += 1
        return pages

    def _settings(self, site: Site, pages: dict[str, StandardPage]) -> None:
        navigation = NavigationSettings.for_site(site)
        for setting, page_key in self.content.navigation.items():
            setattr(navigation, setting, pages[page_key])
        navigation.footer_text = self.content.footer_text
        navigation.save()
        # Regional settings keep their defaults (Riyadh time, يناير month names, Western digits);
        # creating the row makes them visible and editable in the admin straight away.
        RegionalSettings.for_site(site)

    def _build_campaign(self, home: HomePage, site: Site) -> None:
        """A donation campaign with the appeal on, so the demo shows how a newsroom asks for
        support without getting in the reader's way (offline provider: no outside service)."""
        from decimal import Decimal

        from akhbar.donations.models import CampaignPage, DonationSettings

        campaign = CampaignPage(
            title="ادعموا صحافة مستقلة",
            slug="support",
            intro="أخبارنا مجانية لكل القراء، ويبقيها كذلك دعمُ من يستطيع منكم.",
            body="<p>نعمل بفريق صغير من المحررين والمراسلين، ولا نضع الأخبار خلف اشتراك مدفوع. "
            "كل تبرع، مهما صغر، يغطي ساعات من العمل الميداني والتحقق من المعلومات.</p>",
            goal=Decimal("5000"),
            currency="USD",
            show_in_menus=False,
        )
        home.add_child(instance=campaign)
        campaign.save_revision().publish()
        self._created.append(campaign)
        donations = DonationSettings.for_site(site)
        donations.appeal_on, donations.appeal_campaign = True, campaign
        donations.appeal_text = "إن وجدت في أخبارنا ما يفيدك، فادعم استمرارها بتبرع صغير."
        donations.transfer_instructions = "اسم الحساب: (يكتب المحرر اسم الحساب هنا)\nرقم الآيبان: (يكتبه المحرر هنا)"
        donations.save()

    # Pictures ----------------------------------------------------------------------------

    def _image(self, key: str, *, title: str, description: str, colours: tuple[str, str], size: tuple[int, int]):
        if self._collection is None:
            root = Collection.get_first_root_node()
            self._collection = root.get_children().filter(name=COLLECTION_NAME).first() or root.add_child(
                name=COLLECTION_NAME
            )
        data = render_artwork(seed_for(key), colours, size)
        image_model = get_image_model()
        image = image_model(
            title=title[:255],
            description=description[:255],
            collection=self._collection,
            file=ImageFile(io.BytesIO(data), name=f"demo-{key}.jpg"),
        )
        image._set_image_file_metadata()
        image.save()
        self._written_files.append((image.file.storage, image.file.name))
        self._created.append(image)
        self.summary.images += 1
        return image

    def _delete_written_files(self) -> None:
        for storage, name in self._written_files:
            try:
                storage.delete(name)
            except OSError:
                pass

    # Search index ------------------------------------------------------------------------

    def _index_created(self) -> None:
        """Index everything now instead of waiting for a task worker that may not run yet."""
        for obj in self._created:
            if isinstance(obj, Page):
                obj = obj.specific
            index.insert_or_update_object(obj)
            if ReferenceIndex.is_indexed(type(obj)):
                ReferenceIndex.create_or_update_for_object(obj)
