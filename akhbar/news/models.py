"""Page types of a news site: Home → Section (nestable) → Article; Author snippets; plain pages."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from akhbar.arabic.text import arabic_slug, clean_line, reading_minutes
from akhbar.core.sites import CachedViewRestrictions

from .api_fields import PrefetchedTagsField, RequestHostRenditionField
from .blocks import ArticleBodyBlock

MAX_SLUG_LENGTH = 80


@register_snippet
class Author(index.Indexed, ClusterableModel):
    """A reporter, columnist or desk credited on articles; has a public page at /authors/<slug>/."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100, unique=True, allow_unicode=True)
    role = models.CharField(_("role"), max_length=200, blank=True)
    bio = models.TextField(_("biography"), blank=True)
    photo = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("photo"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("role"), FieldPanel("bio"), FieldPanel("photo")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        verbose_name = _("author")
        verbose_name_plural = _("authors")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        self.name = clean_line(self.name)
        if not self.name:
            raise ValidationError({"name": _("Enter the author's name.")})
        if not self.slug:
            self.slug = arabic_slug(self.name, max_length=100) or "author"

    def get_url(self) -> str:
        from django.urls import reverse

        return reverse("author", kwargs={"slug": self.slug})


class AuthorCredit(models.Model):
    """An article's credit to one of its authors, with the article's date, so that an author's
    page reads its newest articles from one (author, date) index instead of sorting every article
    a prolific author ever wrote. The authors field (a plain many-to-many, as the editor's
    multiple choice needs) stays the truth: `sync` and the importer keep these rows equal to it."""

    article = models.ForeignKey("news.ArticlePage", on_delete=models.CASCADE, related_name="author_credits")
    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="+")
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["article", "author"], name="news_credit_unique")]
        indexes = [models.Index(fields=["author", "-published_at", "-article"], name="news_credit_date_idx")]

    @classmethod
    def sync(cls, article) -> None:
        """Make the article's credits its current authors at its current date (two reads; writes only on a change)."""
        linked = set(ArticlePage.authors.through.objects.filter(articlepage_id=article.pk).values_list("author_id", flat=True))
        credited = dict(cls.objects.filter(article_id=article.pk).values_list("author_id", "published_at"))
        if credited.keys() - linked:
            cls.objects.filter(article_id=article.pk, author_id__in=credited.keys() - linked).delete()
        if linked - credited.keys():
            cls.objects.bulk_create(
                [cls(article_id=article.pk, author_id=author_id, published_at=article.published_at) for author_id in linked - credited.keys()]
            )
        if any(credited[author_id] != article.published_at for author_id in linked & credited.keys()):
            cls.objects.filter(article_id=article.pk).update(published_at=article.published_at)


class HomePage(CachedViewRestrictions, Page):
    """The front page: a lead story, the latest news and a block per top-level section."""

    lead_article = models.ForeignKey(
        "news.ArticlePage",
        verbose_name=_("lead story"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Leave empty to lead with the newest article."),
    )
    tagline = models.CharField(_("tagline"), max_length=255, blank=True)

    content_panels = Page.content_panels + [FieldPanel("tagline"), FieldPanel("lead_article")]
    subpage_types = ["news.SectionPage", "news.StandardPage", "donations.CampaignPage"]
    parent_page_types = ["wagtailcore.Page"]
    max_count_per_parent = 1
    template = "pages/home_page.html"

    class Meta:
        verbose_name = _("home page")

    def route(self, request, path_components):
        """The page at the requested path in one indexed lookup by URL path (migration 0002),
        instead of Wagtail's query per path segment plus one per page on the way for its type.
        The lookup is plain SQL (building it with the ORM cost more than running it), then the
        page itself is read as its own type. Anything that lookup does not find (a page that is
        not live, a path that is not a page) goes the usual way, which answers as Wagtail does (404 …)."""
        if path_components:
            page = self._live_page_at(self.url_path + "/".join(path_components) + "/")
            if page is not None:
                return page.route(request, [])
        return super().route(request, path_components)

    def _live_page_at(self, url_path: str):
        from django.contrib.contenttypes.models import ContentType
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT id, content_type_id FROM wagtailcore_page WHERE url_path = %s AND path LIKE %s AND live = %s LIMIT 1",
                [url_path, self.path + "%", True],
            )
            row = cursor.fetchone()
        if row is None:
            return None
        model = ContentType.objects.get_for_id(row[1]).model_class()
        if model is None or not issubclass(model, Page):
            return None
        return model.objects.filter(pk=row[0]).first()

    def get_context(self, request, *args, **kwargs):
        from .listings import home_page_context

        context = super().get_context(request, *args, **kwargs)
        context.update(home_page_context(self))
        return context


class SectionPage(CachedViewRestrictions, Page):
    """A section such as «أخبار» or «رياضة»; sections nest (أخبار › أخبار حول العالم › صوت أمريكا)."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    api_fields = [APIField("intro")]
    subpage_types = ["news.SectionPage", "news.ArticlePage"]
    parent_page_types = ["news.HomePage", "news.SectionPage"]
    # Sections hold up to 100,000s of articles: the admin lists them newest first, never by manual order.
    admin_default_ordering = "-latest_revision_created_at"
    template = "pages/section_page.html"

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def get_context(self, request, *args, **kwargs):
        from .listings import section_page_context

        context = super().get_context(request, *args, **kwargs)
        context.update(section_page_context(self, request))
        return context

    def serve(self, request, *args, **kwargs):
        from .listings import serve_listing_fragment

        fragment = serve_listing_fragment(self, request)
        return fragment or super().serve(request, *args, **kwargs)


class ArticlePageTag(TaggedItemBase):
    """Tag ↔ article link; carries the article's date so tag listings and related stories use one index."""

    content_object = ParentalKey("news.ArticlePage", on_delete=models.CASCADE, related_name="tagged_items")
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["tag", "-published_at", "-content_object"], name="news_tag_date_idx")]


class ArticlePage(CachedViewRestrictions, Page):
    """A news article."""

    kicker = models.CharField(_("kicker"), max_length=120, blank=True, help_text=_("A short label above the title, e.g. «عاجل»."))
    lede = models.TextField(_("lede"), blank=True, help_text=_("One or two sentences summarising the story."))
    body = StreamField(ArticleBodyBlock(), verbose_name=_("body"), blank=True)
    featured_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("featured image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    authors = ParentalManyToManyField("news.Author", verbose_name=_("authors"), blank=True, related_name="articles")
    source_name = models.CharField(_("source"), max_length=200, blank=True, help_text=_("Shown as «وفقًا لـ …»."))
    source_url = models.URLField(_("source address"), max_length=1000, blank=True)
    published_at = models.DateTimeField(
        _("publication date"), null=True, blank=True, help_text=_("Defaults to the time of first publication.")
    )
    tags = ClusterTaggableManager(through=ArticlePageTag, blank=True, verbose_name=_("tags"))
    # The section this article sits in (its parent), kept on the row so listings use one index.
    section = models.ForeignKey(
        "news.SectionPage", null=True, blank=True, editable=False, on_delete=models.SET_NULL, related_name="+"
    )
    external_id = models.CharField(
        _("external ID"), max_length=255, null=True, blank=True, unique=True, help_text=_("Identifier in the system this article was imported from.")
    )
    # Fingerprint of the imported record, so a re-run of an import skips unchanged articles.
    import_checksum = models.CharField(max_length=64, blank=True, editable=False)
    comments_open = models.BooleanField(
        _("readers may comment"),
        default=True,
        help_text=_("Untick to close comments on this article; published comments stay visible."),
    )

    content_panels = Page.content_panels + [
        FieldPanel("kicker"),
        FieldPanel("lede"),
        FieldPanel("featured_image"),
        FieldPanel("body"),
        MultiFieldPanel([FieldPanel("authors"), FieldPanel("source_name"), FieldPanel("source_url")], heading=_("Credits")),
        FieldPanel("tags"),
    ]
    promote_panels = Page.promote_panels + [FieldPanel("published_at"), FieldPanel("external_id")]
    settings_panels = Page.settings_panels + [FieldPanel("comments_open")]
    search_fields = Page.search_fields + [
        index.SearchField("kicker"),
        index.SearchField("lede"),
        index.SearchField("body"),
        index.FilterField("published_at"),
        index.FilterField("section"),
        index.RelatedFields("tags", [index.SearchField("name")]),
    ]
    api_fields = [
        APIField("kicker"),
        APIField("lede"),
        APIField("published_at"),
        APIField("external_id"),
        APIField("source_name"),
        APIField("source_url"),
        APIField("featured_image"),
        APIField("featured_image_thumbnail", serializer=RequestHostRenditionField("fill-640x360", source="featured_image")),
        APIField("tags", serializer=PrefetchedTagsField()),
        APIField("tag_names"),
        APIField("author_names"),
        APIField("body"),
    ]
    subpage_types: list[str] = []
    parent_page_types = ["news.SectionPage"]
    template = "pages/article_page.html"

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        indexes = [
            models.Index(fields=["-published_at", "-page_ptr"], name="news_article_date_idx"),
            models.Index(fields=["section", "-published_at", "-page_ptr"], name="news_article_section_idx"),
        ]

    def clean(self) -> None:
        super().clean()
        self.title = clean_line(self.title)
        self.kicker = clean_line(self.kicker)
        if self.external_id == "":
            self.external_id = None

    def full_clean(self, *args, **kwargs):
        # The admin fills the slug from the whole title; Arabic titles run long, and every
        # Arabic letter is six characters once percent-encoded in a shared link. Keep slugs short.
        if self.title and (not self.slug or len(self.slug) > MAX_SLUG_LENGTH):
            self.slug = arabic_slug(self.slug or self.title, max_length=MAX_SLUG_LENGTH) or arabic_slug(self.title)
        super().full_clean(*args, **kwargs)

    def save(self, *args, **kwargs):
        if self.external_id == "":
            self.external_id = None
        if self.published_at is None and self.live:
            self.published_at = self.first_published_at or timezone.now()
        parent = self.get_parent() if self.pk or self.path else None
        if parent is not None and parent.specific_class is SectionPage:
            self.section_id = parent.pk
        result = super().save(*args, **kwargs)
        ArticlePageTag.objects.filter(content_object_id=self.pk).exclude(published_at=self.published_at).update(
            published_at=self.published_at
        )
        update_fields = kwargs.get("update_fields")
        if update_fields is None or {"authors", "published_at"} & set(update_fields):
            AuthorCredit.sync(self)  # not for a draft's revision bookkeeping (save_revision)
        return result

    @property
    def tag_names(self) -> list[str]:
        return [tag.name for tag in self.tag_list]

    @cached_property
    def tag_list(self) -> list:
        """The article's tags, read once for the tag box, related stories and metadata."""
        return list(self.tags.all())

    @cached_property
    def author_list(self) -> list:
        """The article's authors, read once for the byline and metadata."""
        return list(self.authors.all())

    @property
    def author_names(self) -> list[str]:
        return [author.name for author in self.authors.all()]

    @cached_property
    def plain_text(self) -> str:
        parts = [self.lede]
        for block in self.body:
            if block.block_type == "paragraph":
                parts.append(strip_tags(block.value.source))
            elif block.block_type == "subheading":
                parts.append(block.value)
            elif block.block_type == "quotation":
                parts.append(block.value["text"])
        return "\n".join(p for p in parts if p)

    @property
    def reading_minutes(self) -> int:
        return reading_minutes(self.plain_text)

    def get_context(self, request, *args, **kwargs):
        from .related import related_articles

        context = super().get_context(request, *args, **kwargs)
        context["related_articles"] = related_articles(self)
        return context


def keep_article_section(sender, instance, parent_page_after, **kwargs):
    """A moved article is listed in its new section (listings read the `section` column)."""
    if sender is ArticlePage and parent_page_after.specific_class is SectionPage:
        ArticlePage.objects.filter(pk=instance.pk).update(section_id=parent_page_after.pk)


class StandardPage(CachedViewRestrictions, Page):
    """A plain page such as «من نحن», «اتصل بنا» or «سياسة الخصوصية»."""

    body = RichTextField(_("body"), blank=True, features=["bold", "italic", "link", "ol", "ul", "h2", "h3"])

    content_panels = Page.content_panels + [FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("body")]
    subpage_types: list[str] = []
    parent_page_types = ["news.HomePage"]
    template = "pages/standard_page.html"

    class Meta:
        verbose_name = _("standard page")
