"""A WordPress site → Akhbar, from its export file (`akhbar import_wordpress`).

Two passes over the export. The first reads the whole document (so a malformed or truncated
file stops the run before anything is written) and keeps only what later items refer to:
authors, categories, attachments. The second imports posts and pages, each in its own
savepoint (a nested transaction) with its comments and old addresses, so an item is either
fully imported or not at all; the savepoints are committed in groups, as one commit per
post would cap the rate at the disk's.

Published posts go through the batched article writer (the fast path `import_jsonl` uses);
drafts, scheduled and private posts, pages and sections through Wagtail's own API, which is
slower but rare. Every item is keyed by the site it came from and its WordPress ID.
"""

import hashlib
import time
from collections import Counter
import json
from contextlib import nullcontext
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, DataError, IntegrityError, transaction
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page, Revision
from wagtail.signal_handlers import disable_reference_index_auto_update

from akhbar.arabic.text import arabic_slug
from akhbar.core.models import RegionalSettings
from akhbar.pagecache.purge import held_for_bulk_work
from akhbar.newsroom.models import NewsroomRole
from akhbar.news.models import ArticlePage, SectionPage, StandardPage

from ..indexing import index_objects
from ..jsonl import shown
from ..models import ImportedObject
from ..records import ID_MAX, TITLE_MAX, ArticleData, one_line
from ..sections import import_site
from ..writer import ArticleWriter
from .comments import import_comments
from .conversion import convert, rich_text
from .media import AttachmentImporter, AttachmentInfo
from .values import parse_date, plain_text
from .wxr import AuthorInfo, Channel, Item, Term, WxrError, read_export

FORMAT_VERSION = 1
PUBLIC = "publish"
# WordPress statuses that become an unpublished Akhbar page (a scheduled post is published
# by the worker at its date); anything else (trash, auto-draft, inherit) is not imported.
UNPUBLISHED = {"draft", "pending", "private", "future"}
LEDE_MAX = 1000
# Commit after this many items or seconds, whichever comes first: other writers (the admin, the
# worker) wait at most that long for SQLite's write lock.
COMMIT_EVERY = 500
COMMIT_SECONDS = 2.0
# Published posts per batch of the article writer.
WRITE_EVERY = 250
FALLBACK_SECTION = ("uncategorized", "غير مصنف")


# What the summary counts, by key; the command prints the label.
KINDS = {
    "sections": gettext_lazy("sections"),
    "editor accounts": gettext_lazy("editor accounts"),
    "images": gettext_lazy("images"),
    "articles": gettext_lazy("articles"),
    "pages": gettext_lazy("pages"),
    "comments": gettext_lazy("comments"),
    "other items": gettext_lazy("other items"),
}


# Errors one item's content can cause; anything else (the database gone) stops the run.
ITEM_PROBLEMS = (ValueError, TypeError, RecursionError, DataError, IntegrityError)


class _DryRunDone(Exception):
    """Raised at the end of a dry run to roll everything back."""


class ItemFailed(Exception):
    """This item cannot be imported; the message says why, for the summary."""


@dataclass
class Tally:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    failed: int = 0


@dataclass
class Problem:
    line: int
    what: str
    reason: str

    def __str__(self) -> str:
        return _("line %(line)s, %(what)s: %(reason)s") % {"line": self.line, "what": self.what, "reason": self.reason}


@dataclass
class Summary:
    counts: dict[str, Tally] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    skip_reasons: Counter = field(default_factory=Counter)  # (kind, reason) → how many
    seconds: float = 0.0

    def tally(self, kind: str) -> Tally:
        return self.counts.setdefault(kind, Tally())

    def skip(self, kind: str, reason: str) -> None:
        self.tally(kind).skipped += 1
        self.skip_reasons[(kind, reason)] += 1

    @property
    def changed(self) -> int:
        return sum(t.created + t.updated for t in self.counts.values())

    @property
    def failed(self) -> int:
        return sum(t.failed for t in self.counts.values())


@dataclass
class Scan:
    """What the first pass keeps: the few things items refer to by ID, and counts for the progress bar."""

    channel: Channel = field(default_factory=Channel)
    authors: dict[str, AuthorInfo] = field(default_factory=dict)
    categories: list[Term] = field(default_factory=list)
    attachments: dict[str, AttachmentInfo] = field(default_factory=dict)
    items: int = 0


def source_key(channel: Channel) -> str:
    """'https://www.Radio.example/' → 'radio.example': the same site whether it was served over http or https."""
    url = channel.base_blog_url or channel.base_site_url or channel.link
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower().removeprefix("www.")
    if not host:
        raise WxrError(_("The export does not say which site it comes from (no wp:base_site_url or link)."))
    return (host + parts.path.rstrip("/"))[:150]


def old_paths(item: Item) -> list[str]:
    """The addresses WordPress answered for this item: its permalink and its ?p= / ?page_id= form."""
    paths = []
    if item.link:
        parts = urlsplit(item.link)
        path = parts.path or "/"
        if parts.query:
            path += "?" + parts.query
        paths.append(path)
    if item.post_id.isdigit():
        paths.append(f"/?p={item.post_id}")
        if item.post_type == "page":
            paths.append(f"/?page_id={item.post_id}")
    unique = []
    for path in paths:
        normalised = Redirect.normalise_path(path)
        if normalised != "/" and normalised not in unique:
            unique.append(normalised)
    return unique


@dataclass
class WordPressArticle(ArticleData):
    """A post, converted: its body is StreamField blocks from WordPress HTML, not paragraphs of text."""

    blocks: list[dict] = field(default_factory=list)
    text: str = ""
    status: str = PUBLIC
    sets_featured_image = True
    body_is_plain_text = False

    def body_blocks(self) -> list[dict]:
        return self.blocks

    def search_blocks(self) -> list[dict]:
        return [{"type": "paragraph", "value": escape(self.text), "id": ""}] if self.text else []

    def compute_checksum(self) -> str:
        without_ids = [{key: value for key, value in block.items() if key != "id"} for block in self.blocks]
        payload = [
            FORMAT_VERSION,
            self.status,
            self.title,
            self.slug_base,
            without_ids,
            self.lede,
            self.published_at.isoformat(),
            self.tags,
            self.author_name,
            self.section_id,
            self.featured_image_id,
        ]
        return hashlib.sha256(json.dumps(payload, ensure_ascii=False, default=str).encode()).hexdigest()


class WordPressImport:
    def __init__(
        self,
        path: Path,
        *,
        uploads: Path | None = None,
        create_editors: bool = False,
        dry_run: bool = False,
        report: Callable[[Problem], None] = lambda problem: None,
    ):
        self.path = path
        self.uploads = uploads
        self.create_editors = create_editors
        self.dry_run = dry_run
        self.report = report
        self.summary = Summary()
        self.writer = ArticleWriter()
        self.site = import_site()
        self.home = self.site.root_page.specific
        self.zone = RegionalSettings.for_site(self.site).zone
        self.sections: dict[str, SectionPage] = {}  # category slug → section
        self.fallback_section: SectionPage | None = None
        self.scan_result = Scan()
        self.source = ""
        self.pending: list[tuple[Item, WordPressArticle]] = []

    # Pass 1 --------------------------------------------------------------------------------

    def scan(self) -> Scan:
        """Read the whole export once; raises WxrError before anything is written."""
        scan = Scan()
        for entry in read_export(self.path):
            if isinstance(entry, Channel):
                scan.channel = entry
            elif isinstance(entry, AuthorInfo):
                if entry.login:
                    scan.authors[entry.login] = entry
            elif isinstance(entry, Term):
                if entry.taxonomy == "category":
                    scan.categories.append(entry)
            elif isinstance(entry, Item):
                if entry.post_type == "attachment":
                    scan.attachments[entry.post_id] = AttachmentInfo.from_item(entry)
                elif entry.post_type in ("post", "page"):
                    scan.items += 1
        self.scan_result = scan
        self.source = source_key(scan.channel)
        return scan

    # Pass 2 --------------------------------------------------------------------------------

    def run(self, progress=None) -> Summary:
        """Import everything the scan found; a dry run does all of it and then rolls it back."""
        started = timezone.now()
        try:
            # A real run commits group by group; only a dry run holds one transaction, to undo it all.
            # Purges of single pages wait: the command purges everything at the end.
            with (
                transaction.atomic() if self.dry_run else nullcontext(),
                disable_reference_index_auto_update(),
                held_for_bulk_work(),
            ):
                self._import(progress)
                if self.dry_run:
                    raise _DryRunDone
        except _DryRunDone:
            pass
        self.summary.seconds = (timezone.now() - started).total_seconds()
        return self.summary

    def _import(self, progress) -> None:
        scan = self.scan_result
        self._sections(scan.categories)
        self._editors(scan.authors)
        self.media = AttachmentImporter(self.source, self.uploads, self.summary, self._problem, dry_run=self.dry_run)
        self.media.run(scan.attachments.values())
        entries = read_export(self.path)
        finished = False
        while not finished:
            # Items are committed in small groups: one commit (an fsync) per post would cap the rate
            # at the disk's. Each item still has its own savepoint, so a failed one leaves nothing.
            started, count = time.monotonic(), 0
            finished = True
            with transaction.atomic():
                for entry in entries:
                    self._entry(entry, progress)
                    count += 1
                    if count >= COMMIT_EVERY or time.monotonic() - started > COMMIT_SECONDS:
                        finished = False
                        break
                self._flush_published()

    def _entry(self, entry, progress) -> None:
        if not isinstance(entry, Item):
            return
        if entry.post_type in ("post", "page"):
            self._item(entry)
            if progress is not None:
                progress.update(1)
        elif entry.post_type != "attachment":
            self.summary.skip("other items", _("type “%(type)s” has no place in Akhbar") % {"type": entry.post_type[:40]})

    def _problem(self, line: int, what: str, reason: str, kind: str | None = None) -> None:
        problem = Problem(line, what, reason)
        self.summary.problems.append(problem)
        if kind:
            self.summary.tally(kind).failed += 1
        self.report(problem)

    def _item(self, item: Item) -> None:
        kind = "articles" if item.post_type == "post" else "pages"
        what = _("%(type)s %(id)s") % {"type": item.post_type, "id": item.post_id or "?"}
        if not item.post_id.isdigit():
            self._problem(item.line, what, _("it has no WordPress ID (wp:post_id)"), kind)
            return
        if item.status not in UNPUBLISHED and item.status != PUBLIC:
            self.summary.skip(kind, _("status “%(status)s” in WordPress") % {"status": item.status[:20]})  # the bin…
            self._unpublish_gone(item)
            return
        try:
            with transaction.atomic():
                if item.post_type == "post":
                    outcome = self._post(item)
                else:
                    outcome = self._page(item)
        except ItemFailed as error:
            self._problem(item.line, what, str(error), kind)
            return
        except ITEM_PROBLEMS as error:  # this item's data, not the database: the others go on
            self._problem(item.line, what, _("it could not be imported: %(error)s") % {"error": shown(error, 200)}, kind)
            return
        if outcome != "queued":
            setattr(self.summary.tally(kind), outcome, getattr(self.summary.tally(kind), outcome) + 1)

    # Sections and people -------------------------------------------------------------------

    def _sections(self, categories: list[Term]) -> None:
        """Each category becomes a section under its parent's section (or the home page), kept by ID."""
        by_slug = {term.slug: term for term in categories if term.slug}
        done: dict[str, SectionPage] = {}

        def section_for(term: Term, trail: tuple[str, ...] = ()) -> SectionPage:
            if term.slug in done:
                return done[term.slug]
            parent_term = by_slug.get(term.parent_slug)
            if parent_term is not None and parent_term.slug not in trail and parent_term.slug != term.slug:
                parent: Page = section_for(parent_term, trail + (term.slug,))
            else:
                parent = self.home
            done[term.slug] = self._section(term.term_id, term.slug, term.name, parent, term.line)
            return done[term.slug]

        for term in categories:
            if term.slug:
                section_for(term)
        self.sections = done

    def _section(self, term_id: str, slug: str, name: str, parent: Page, line: int) -> SectionPage:
        tally = self.summary.tally("sections")
        known = self._imported(ImportedObject.Kind.CATEGORY, term_id) if term_id else None
        if known is not None:
            section = SectionPage.objects.filter(pk=known.object_id).first()
            if section is not None:
                tally.unchanged += 1
                return section
        title = one_line(name)[:TITLE_MAX] or slug
        wanted_slug = arabic_slug(slug, max_length=80) or arabic_slug(title, max_length=80) or "section"
        children = SectionPage.objects.child_of(parent)
        section = children.filter(slug=wanted_slug).first() or children.filter(title=title).first()
        if section is None:
            section = SectionPage(title=title, slug=self._free_slug(parent, wanted_slug), show_in_menus=parent.pk == self.home.pk)
            parent.add_child(instance=section)
            section.save_revision().publish()
            index_objects(SectionPage, [section])
            tally.created += 1
        else:
            tally.unchanged += 1
        if term_id:
            self._remember(ImportedObject.Kind.CATEGORY, term_id, section)
        return section

    def _fallback(self) -> SectionPage:
        if self.fallback_section is None:
            slug, name = FALLBACK_SECTION
            self.fallback_section = self._section("", slug, name, self.home, 0)
        return self.fallback_section

    def _editors(self, authors: dict[str, AuthorInfo]) -> None:
        """Optionally, an admin account per WordPress author, as a reporter, with no password (they set one by reset)."""
        if not self.create_editors:
            return
        tally = self.summary.tally("editor accounts")
        User = get_user_model()
        # Reporters: they write and submit; an administrator decides who also publishes.
        reporters = Group.objects.filter(newsroom_role__role=NewsroomRole.REPORTER).first()
        for info in authors.values():
            username = one_line(info.login)[:150]
            if not username:
                continue
            if User.objects.filter(username=username).exists():
                tally.unchanged += 1
                continue
            user = User(
                username=username,
                email=info.email if "@" in info.email else "",
                first_name=one_line(info.first_name)[:150],
                last_name=one_line(info.last_name)[:150],
            )
            user.set_unusable_password()
            user.save()
            if reporters is not None:
                user.groups.add(reporters)
            tally.created += 1

    def _author_name(self, login: str) -> str:
        info = self.scan_result.authors.get(login)
        name = info.display_name if info and info.display_name else login
        return one_line(name)[:200]

    # Bookkeeping ---------------------------------------------------------------------------

    def _imported(self, kind: str, source_id: str) -> ImportedObject | None:
        return ImportedObject.objects.filter(source=self.source, kind=kind, source_id=source_id).first()

    def _remember(self, kind: str, source_id: str, obj, **extra) -> None:
        ImportedObject.objects.update_or_create(
            source=self.source,
            kind=kind,
            source_id=source_id,
            defaults={
                "content_type": ContentType.objects.get_for_model(type(obj)),
                "object_id": str(obj.pk),
                "imported_at": timezone.now(),
                **extra,
            },
        )

    def _external_id(self, item: Item) -> str:
        return f"wordpress:{self.source}:{item.post_id}"[:ID_MAX]

    def _redirect(self, item: Item, page: Page) -> None:
        self._redirect_many([(item, page.pk)])

    def _forget_redirects(self, item: Item) -> None:
        Redirect.objects.filter(site=self.site, old_path__in=old_paths(item)).delete()

    def _unpublish_gone(self, item: Item) -> None:
        """An item moved to the bin since the last run stops being public here too."""
        if item.post_type == "post":
            page = ArticlePage.objects.filter(external_id=self._external_id(item)).first()
        else:
            known = self._imported(ImportedObject.Kind.PAGE, item.post_id)
            page = StandardPage.objects.filter(pk=known.object_id).first() if known else None
        if page is not None and page.live:
            with transaction.atomic():
                page.unpublish(log_action=True)
                self._forget_redirects(item)

    # Posts ---------------------------------------------------------------------------------

    def _article(self, item: Item) -> WordPressArticle:
        published = parse_date(item.date_gmt, item.date_local, self.zone)
        if published is None:
            if item.status == PUBLIC or item.status == "future":
                raise ItemFailed(_("its date is missing or impossible (wp:post_date)"))
            published = timezone.now()
        converted = convert(item.content, self.media.lookup)
        for url in converted.missing_images:
            self.media.note_missing(url)
        title = one_line(item.title)[:TITLE_MAX] or (one_line(converted.text)[:80] or _("Untitled"))
        lede = " ".join(plain_text(item.excerpt).split())[:LEDE_MAX]
        section, extra_tags = self._section_of(item)
        tags = []
        for domain, _slug, name in item.categories:
            if domain == "post_tag":
                tags.append(one_line(name)[:100])
        tags.extend(extra_tags)
        tags = [tag for n, tag in enumerate(tags) if tag and tag.casefold() not in {t.casefold() for t in tags[:n]}][:50]
        thumbnail = item.meta.get("_thumbnail_id", "").strip()
        article = WordPressArticle(
            line_no=item.line,
            external_id=self._external_id(item),
            title=title,
            slug_base=arabic_slug(item.slug, max_length=80) or arabic_slug(title, max_length=80) or "article",
            paragraphs=[],
            lede=lede,
            category="",
            published_at=published,
            tags=tags,
            author_name=self._author_name(item.creator) if item.creator else "",
            source_name="",
            source_url="",
            section_id=section.pk,
            featured_image_id=self.media.image_id(thumbnail) if thumbnail else None,
            blocks=converted.blocks,
            text=converted.text,
            status=item.status,
        )
        if item.password and item.status == PUBLIC:
            article.status = "private"  # behind a password there: never public here
        article.checksum = article.compute_checksum()
        return article

    def _section_of(self, item: Item) -> tuple[SectionPage, list[str]]:
        """The primary category (Yoast's choice, else the first) is the section; the others become tags."""
        categories = [(slug, name) for domain, slug, name in item.categories if domain == "category"]
        primary_id = item.meta.get("_yoast_wpseo_primary_category", "").strip()
        primary = None
        if primary_id:
            term = next((t for t in self.scan_result.categories if t.term_id == primary_id), None)
            if term is not None and any(slug == term.slug for slug, _name in categories):
                primary = term.slug
        if primary is None and categories:
            primary = categories[0][0]
        section = self.sections.get(primary) if primary else None
        if section is None and primary:
            name = next(name for slug, name in categories if slug == primary)
            section = self.sections[primary] = self._section("", primary, name, self.home, item.line)
        others = [one_line(name)[:100] for slug, name in categories if slug != primary]
        return section or self._fallback(), others

    def _post(self, item: Item) -> str:
        article = self._article(item)
        if article.status == PUBLIC:
            # Written in batches by the article writer (about fifty queries for one post alone).
            if any(queued.external_id == article.external_id for _item, queued in self.pending):
                self._flush_published()
            self.pending.append((item, article))
            if len(self.pending) >= WRITE_EVERY:
                self._flush_published()
            return "queued"
        # Not public: a draft, a post waiting for review, a private or a scheduled one.
        existing = (
            ArticlePage.objects.filter(external_id=article.external_id)
            .only("pk", "live", "import_checksum", "go_live_at")
            .first()
        )
        self._forget_redirects(item)
        if existing is not None and existing.import_checksum == article.checksum:
            return "unchanged"
        page = self._save_unpublished(article, existing)
        import_comments(item, page, self.source, self.zone, self.summary, self._problem)
        return "updated" if existing is not None else "created"

    def _flush_published(self) -> None:
        """Write the queued published posts in one batch, then each one's comments in its own savepoint.

        The batch is all or nothing, and when it fails the writer retries each post alone, so a bad
        post costs only itself; its comments and redirects are then not written either.
        """
        pending, self.pending = self.pending, []
        if not pending:
            return
        tally = self.summary.tally("articles")
        outcome = self.writer.write([article for _item, article in pending])
        tally.created += outcome.created
        tally.updated += outcome.updated
        tally.unchanged += outcome.unchanged
        failed = set()
        for article, message in outcome.errors:
            failed.add(article.external_id)
            self._problem(article.line_no, _("post %(id)s") % {"id": article.external_id.rsplit(":", 1)[-1]}, message, "articles")
        written = [(item, article) for item, article in pending if article.external_id not in failed]
        if not written:
            return
        pks = dict(
            ArticlePage.objects.filter(external_id__in=[article.external_id for _item, article in written]).values_list(
                "external_id", "pk"
            )
        )
        if outcome.updated:
            # A draft or scheduled post published since: its pending schedule goes.
            Revision.objects.filter(
                base_content_type=self.writer.page_type,
                object_id__in=[str(pk) for pk in pks.values()],
                approved_go_live_at__isnull=False,
            ).update(approved_go_live_at=None)
        self._redirect_many([(item, pks[article.external_id]) for item, article in written])
        for item, article in written:
            if item.comments:
                page = ArticlePage(pk=pks[article.external_id])
                try:
                    with transaction.atomic():
                        import_comments(item, page, self.source, self.zone, self.summary, self._problem)
                except (ValueError, DatabaseError) as error:
                    self._problem(item.line, _("comments of post %(id)s") % {"id": item.post_id}, shown(error, 200), "comments")

    def _redirect_many(self, pairs: list[tuple[Item, int]]) -> None:
        """Redirects for a batch of posts: one query to find those that exist, one insert for the rest."""
        wanted = {path: page_id for item, page_id in pairs for path in old_paths(item)}
        existing = {}
        paths = list(wanted)
        for start in range(0, len(paths), 500):
            for redirect in Redirect.objects.filter(site=self.site, old_path__in=paths[start : start + 500]):
                existing[redirect.old_path] = redirect
        fresh = []
        for path, page_id in wanted.items():
            redirect = existing.get(path)
            if redirect is None:
                fresh.append(Redirect(site=self.site, old_path=path, redirect_page_id=page_id, is_permanent=True))
            elif redirect.redirect_page_id != page_id or redirect.redirect_link or not redirect.is_permanent:
                redirect.redirect_page_id, redirect.redirect_link, redirect.is_permanent = page_id, "", True
                redirect.save()
        Redirect.objects.bulk_create(fresh)

    def _save_unpublished(self, article: WordPressArticle, existing: ArticlePage | None) -> ArticlePage:
        section = SectionPage.objects.get(pk=article.section_id)
        if existing is None:
            page = ArticlePage(title=article.title, slug=self._free_slug(section, article.slug_base), live=False)
        else:
            page = ArticlePage.objects.get(pk=existing.pk)
            if page.live:
                page.unpublish(log_action=True)
                page.refresh_from_db()
        page.title = page.draft_title = article.title
        page.lede = article.lede
        page.body = article.blocks
        page.published_at = article.published_at
        page.external_id = article.external_id
        page.import_checksum = article.checksum
        page.featured_image_id = article.featured_image_id
        page.authors = list(self.writer._authors({article.author_name}).values()) if article.author_name else []
        page.tags.set(article.tags)
        if existing is None:
            section.add_child(instance=page)
        elif page.get_parent().pk != section.pk:
            page.move(section, pos="last-child")
            page.refresh_from_db()
        scheduled = article.status == "future" and article.published_at > timezone.now()
        page.go_live_at = article.published_at if scheduled else None
        page.save()
        revision = page.save_revision(log_action=True)
        if scheduled:
            revision.publish()  # in the future: Wagtail records the schedule and the worker publishes it then
        index_objects(ArticlePage, [page])
        return page

    @staticmethod
    def _free_slug(parent: Page, base: str) -> str:
        taken = set(parent.get_children().filter(slug__startswith=base).values_list("slug", flat=True))
        unique, n = base, 1
        while unique in taken:
            n += 1
            unique = f"{base}-{n}"
        return unique

    # Pages ---------------------------------------------------------------------------------

    def _page(self, item: Item) -> str:
        """A WordPress page → a standard page under home; one whose slug exists there is updated in place."""
        public = item.status == PUBLIC and not item.password
        title = one_line(item.title)[:TITLE_MAX] or _("Untitled")
        body = rich_text(item.content)
        slug = arabic_slug(item.slug, max_length=80) or arabic_slug(title, max_length=80) or "page"
        checksum = hashlib.sha256(json.dumps([FORMAT_VERSION, public, title, body, slug]).encode()).hexdigest()
        known = self._imported(ImportedObject.Kind.PAGE, item.post_id)
        page = StandardPage.objects.filter(pk=known.object_id).first() if known else None
        if page is not None and known.checksum == checksum:
            if public:
                self._redirect(item, page)
            return "unchanged"
        created = False
        if page is None:
            page = StandardPage.objects.child_of(self.home).filter(slug=slug).first()
        if page is None:
            if self.home.get_children().filter(slug=slug).exists():
                slug = self._free_slug(self.home, slug)
            page = StandardPage(title=title, slug=slug, live=False)
            self.home.add_child(instance=page)
            created = True
        page.title = page.draft_title = title
        page.body = body
        revision = page.save_revision(log_action=True)
        if public:
            revision.publish()
            self._redirect(item, page)
        else:
            self._forget_redirects(item)
            if page.live and known is not None:
                page.unpublish(log_action=True)
        index_objects(StandardPage, [page])
        self._remember(ImportedObject.Kind.PAGE, item.post_id, page, checksum=checksum, original_url=item.link[:2000])
        return "created" if created else "updated"
