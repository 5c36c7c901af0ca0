"""Batched writes of article pages that keep every invariant Wagtail's own publish keeps.

`add_child` + `save_revision().publish()` costs about twenty queries and several task-queue
rows per page. Here one batch is one short transaction: page rows in bulk (treebeard paths,
numchild, url_path, unique slugs), the ArticlePage rows, tags and authors, one live revision
per page, audit log entries, reference and search index entries. No save signals fire, so
nothing is left for the task worker.
"""

from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, connection, transaction
from django.db.models import CharField, F, OuterRef, Subquery
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _
from taggit.models import Tag
from treebeard.exceptions import PathOverflow
from wagtail.models import Page, PageLogEntry, Revision, WorkflowState

from akhbar.news.models import ArticlePage, ArticlePageTag, Author, AuthorCredit

from .indexing import add_references, index_objects, update_references
from .jsonl import shown
from .records import ArticleData, author_slug
from .tree import add_children_count, next_child_paths, unique_slugs

# Fields of the ArticlePage table itself (the Page row is written separately).
CHILD_FIELDS = list(ArticlePage._meta.local_concrete_fields)
CONTENT_FIELDS = ["lede", "body", "source_name", "source_url", "published_at", "section_id", "import_checksum"]
RECORD_PROBLEMS = (IntegrityError, DataError, ValidationError, ValueError, TypeError, OverflowError, PathOverflow)
AuthorLink = ArticlePage.authors.through


@dataclass
class BatchOutcome:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[tuple[ArticleData, str]] = field(default_factory=list)

    def add(self, other: "BatchOutcome") -> None:
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.errors.extend(other.errors)


class ArticleWriter:
    """Writes batches of ArticleData (section and checksum already set) as live article pages."""

    def __init__(self):
        self.article_type = ContentType.objects.get_for_model(ArticlePage)
        self.page_type = ContentType.objects.get_for_model(Page)

    def write(self, items: list[ArticleData]) -> BatchOutcome:
        """All of the batch or none of it; if it fails, each record alone, so one bad record costs only itself."""
        try:
            with transaction.atomic():
                return self._write(items)
        except RECORD_PROBLEMS as error:
            if len(items) == 1:
                message = _("the article could not be saved: %(error)s") % {"error": shown(error, 200)}
                return BatchOutcome(errors=[(items[0], message)])
        outcome = BatchOutcome()
        for item in items:
            outcome.add(self.write([item]))
        return outcome

    def _write(self, items: list[ArticleData]) -> BatchOutcome:
        now = timezone.now()
        existing = {
            row["external_id"]: row
            for row in ArticlePage.objects.filter(external_id__in=[item.external_id for item in items]).values(
                "pk", "external_id", "import_checksum"
            )
        }
        new = [item for item in items if item.external_id not in existing]
        changed = [
            (item, existing[item.external_id]["pk"])
            for item in items
            if item.external_id in existing and existing[item.external_id]["import_checksum"] != item.checksum
        ]
        outcome = BatchOutcome(created=len(new), updated=len(changed))
        outcome.unchanged = len(items) - outcome.created - outcome.updated
        if not new and not changed:
            return outcome
        wanted = new + [item for item, _pk in changed]
        tags = self._tags({name for item in wanted for name in item.tags})
        authors = self._authors({item.author_name for item in wanted if item.author_name})
        written = self._create(new, now, tags, authors) + self._update(changed, now, tags, authors)
        for page, item in written:
            page.body = item.search_blocks()
        index_objects(ArticlePage, [page for page, _item in written])
        return outcome

    @staticmethod
    def _extract_references(pages: list[ArticlePage], items: list[ArticleData], extract) -> None:
        """Escaped-text bodies cannot refer to anything, so their reference extraction is skipped."""
        plain = [page for page, item in zip(pages, items, strict=True) if item.body_is_plain_text]
        rich = [page for page, item in zip(pages, items, strict=True) if not item.body_is_plain_text]
        with body_hidden(plain):
            extract(plain)
        extract(rich)

    # Shared rows: tags and authors -------------------------------------------------------

    def _tags(self, names: set[str]) -> dict[str, Tag]:
        """Tag by case-folded name, as taggit matches them (TAGGIT_CASE_INSENSITIVE); missing ones in bulk."""
        found = {tag.name.casefold(): tag for tag in _in_chunks(Tag.objects, "name", sorted(names))}
        missing = {}
        for name in sorted(names):
            key = name.casefold()
            if key in found or key in missing:
                continue
            # Only scripts with letter case can differ by case alone (Arabic cannot): ask once for those.
            same = Tag.objects.filter(name__iexact=name).first() if name.lower() != name.upper() else None
            if same is not None:
                found[key] = same
            else:
                missing[key] = name
        if missing:
            slugs = {name: Tag().slugify(name) or "tag" for name in missing.values()}
            taken = {tag.slug for tag in _in_chunks(Tag.objects.only("slug"), "slug", sorted(set(slugs.values())))}
            fresh = []
            for name, slug in slugs.items():
                unique, n = slug, 0
                while unique in taken:
                    n += 1
                    unique = f"{slug}_{n}"
                taken.add(unique)
                fresh.append(Tag(name=name, slug=unique))
            Tag.objects.bulk_create(fresh, ignore_conflicts=connection.features.supports_ignore_conflicts)
            for tag in _in_chunks(Tag.objects, "name", [tag.name for tag in fresh]):
                found[tag.name.casefold()] = tag
            for name in missing.values():
                if name.casefold() not in found:  # lost a race for its slug: let taggit pick another
                    found[name.casefold()] = Tag.objects.create(name=name)
        return found

    def _authors(self, names: set[str]) -> dict[str, Author]:
        """Author by slug; a dateline or desk credit becomes an author page once and is reused."""
        by_slug = {author_slug(name): name for name in sorted(names)}
        found = {author.slug: author for author in Author.objects.filter(slug__in=list(by_slug))}
        missing = [Author(name=name, slug=slug) for slug, name in by_slug.items() if slug not in found]
        if missing:
            Author.objects.bulk_create(missing, ignore_conflicts=connection.features.supports_ignore_conflicts)
            fresh = list(Author.objects.filter(slug__in=[author.slug for author in missing]))
            found.update((author.slug, author) for author in fresh)
            index_objects(Author, fresh)
        return found

    def _link(self, pages: list[ArticlePage], items: list[ArticleData], tags, authors) -> None:
        """Tag and author rows, mirrored in memory so revisions and indexes see them without queries."""
        tag_rows, author_rows, credit_rows, per_page = [], [], [], []
        for page, item in zip(pages, items, strict=True):
            rows = [
                ArticlePageTag(content_object_id=page.pk, tag=tags[name.casefold()], published_at=item.published_at)
                for name in item.tags
            ]
            tag_rows.extend(rows)
            page_authors = [authors[author_slug(item.author_name)]] if item.author_name else []
            author_rows.extend(AuthorLink(articlepage_id=page.pk, author_id=author.pk) for author in page_authors)
            credit_rows.extend(
                AuthorCredit(article_id=page.pk, author_id=author.pk, published_at=item.published_at) for author in page_authors
            )
            per_page.append((page, rows, page_authors))
        ArticlePageTag.objects.bulk_create(tag_rows)
        AuthorLink.objects.bulk_create(author_rows)
        AuthorCredit.objects.bulk_create(credit_rows)
        for page, rows, page_authors in per_page:
            page.tagged_items = rows
            page.authors = page_authors
            page.wagtail_admin_comments = []

    # New articles ------------------------------------------------------------------------

    def _create(self, items: list[ArticleData], now, tags, authors) -> list[tuple[ArticlePage, ArticleData]]:
        if not items:
            return []
        by_section = defaultdict(list)
        for item in items:
            by_section[item.section_id].append(item)
        pages, ordered = [], []
        for section_id, group in by_section.items():
            parent = Page.objects.select_for_update().only("path", "depth", "url_path", "locale_id").get(pk=section_id)
            paths = next_child_paths(parent, len(group))
            slugs = unique_slugs(parent, [item.slug_base for item in group])
            add_children_count(parent, len(group))
            for item, path, slug in zip(group, paths, slugs, strict=True):
                pages.append(self._new_page(item, parent, path, slug, now))
                ordered.append(item)
        Page.objects.bulk_create(pages)
        for page in pages:
            page.page_ptr_id = page.id
        # bulk_create refuses multi-table models; the child rows go in with the same insert it uses inside.
        size = connection.ops.bulk_batch_size(CHILD_FIELDS, pages)
        for start in range(0, len(pages), size):
            ArticlePage._base_manager._insert(pages[start : start + size], fields=CHILD_FIELDS, using=connection.alias)
        self._link(pages, ordered, tags, authors)
        revisions = self._revisions(pages, now)
        self._point_at_revisions(pages, revisions)
        self._log(pages, revisions, now)
        self._extract_references(pages, ordered, add_references)
        return list(zip(pages, ordered, strict=True))

    def _new_page(self, item: ArticleData, parent: Page, path: str, slug: str, now) -> ArticlePage:
        return ArticlePage(
            path=path,
            depth=parent.depth + 1,
            numchild=0,
            locale_id=parent.locale_id,
            content_type=self.article_type,
            title=item.title,
            draft_title=item.title,
            slug=slug,
            url_path=f"{parent.url_path}{slug}/",
            live=True,
            has_unpublished_changes=False,
            first_published_at=min(item.published_at, now),
            last_published_at=now,
            latest_revision_created_at=now,
            lede=item.lede,
            body=item.body_blocks(),
            source_name=item.source_name,
            source_url=item.source_url,
            published_at=item.published_at,
            section_id=item.section_id,
            featured_image_id=item.featured_image_id,
            external_id=item.external_id,
            import_checksum=item.checksum,
        )

    def _revisions(self, pages: list[ArticlePage], now) -> list[Revision]:
        revisions = [
            Revision(
                content_type=self.article_type,
                base_content_type=self.page_type,
                object_id=str(page.pk),
                created_at=now,
                object_str=page.title,
                content=page.serializable_data(),
            )
            for page in pages
        ]
        return Revision.objects.bulk_create(revisions)

    def _point_at_revisions(self, pages: list[ArticlePage], revisions: list[Revision]) -> None:
        """latest_revision = live_revision = the page's newest revision, in one statement per batch."""
        for page, revision in zip(pages, revisions, strict=True):
            page.latest_revision = page.live_revision = revision
        newest = (
            Revision.objects.filter(base_content_type=self.page_type, object_id=Cast(OuterRef("pk"), CharField()))
            .order_by("-pk")
            .values("pk")[:1]
        )
        for start in range(0, len(pages), 500):
            chunk = [page.pk for page in pages[start : start + 500]]
            Page.objects.filter(pk__in=chunk).update(latest_revision=Subquery(newest), live_revision=Subquery(newest))

    def _log(self, pages, revisions, now, moved=()) -> None:
        """The page history editors see: each imported version as «published», with its revision."""

        def entry(page, action, **fields):
            common = {"content_type": self.article_type, "label": page.title, "timestamp": now, "page_id": page.pk}
            return PageLogEntry(action=action, **common, **fields)

        entries = [
            entry(page, "wagtail.publish", revision=revision, content_changed=True, data={})
            for page, revision in zip(pages, revisions, strict=True)
        ]
        for page, before, after in moved:
            places = {"source": {"id": before.pk, "title": before.title}, "destination": {"id": after.pk, "title": after.title}}
            entries.append(entry(page, "wagtail.move", data=places))
        PageLogEntry.objects.bulk_create(entries)

    # Changed articles --------------------------------------------------------------------

    def _update(self, changed: list[tuple[ArticleData, int]], now, tags, authors) -> list[tuple[ArticlePage, ArticleData]]:
        """A changed record becomes a new live revision of the same page (source wins over local edits)."""
        if not changed:
            return []
        by_pk = ArticlePage.objects.in_bulk([pk for _item, pk in changed])
        items = [item for item, pk in changed]
        pages = [by_pk[pk] for _item, pk in changed]
        moved, sections = [], {}
        for item, page in zip(items, pages, strict=True):
            if item.section_id not in sections:
                sections[item.section_id] = (
                    Page.objects.select_for_update().only("path", "depth", "url_path", "title").get(pk=item.section_id)
                )
            section = sections[item.section_id]
            if page.path[: -Page.steplen] != section.path:
                moved.append(self._move_leaf(page, section))
            page.title = page.draft_title = item.title
            page.lede, page.body = item.lede, item.body_blocks()
            page.source_name, page.source_url = item.source_name, item.source_url
            page.published_at, page.section_id, page.import_checksum = item.published_at, item.section_id, item.checksum
            if item.sets_featured_image:
                page.featured_image_id = item.featured_image_id
            page.live, page.expired, page.has_unpublished_changes = True, False, False
            page.last_published_at = page.latest_revision_created_at = now
            # An article that was a draft (or scheduled) until now is published for the first time.
            page.first_published_at = page.first_published_at or min(item.published_at, now)
            page.go_live_at = None
        pks = [page.pk for page in pages]
        ArticlePageTag.objects.filter(content_object_id__in=pks).delete()
        AuthorLink.objects.filter(articlepage_id__in=pks).delete()
        AuthorCredit.objects.filter(article_id__in=pks).delete()
        self._link(pages, items, tags, authors)
        revisions = self._revisions(pages, now)
        for page, item, revision in zip(pages, items, revisions, strict=True):
            page.latest_revision = page.live_revision = revision
            Page.objects.filter(pk=page.pk).update(
                first_published_at=page.first_published_at,
                go_live_at=None,
                title=page.title,
                draft_title=page.draft_title,
                live=True,
                expired=False,
                has_unpublished_changes=False,
                last_published_at=now,
                latest_revision_created_at=now,
                latest_revision=revision,
                live_revision=revision,
            )
            fields = CONTENT_FIELDS + (["featured_image_id"] if item.sets_featured_image else [])
            ArticlePage.objects.filter(pk=page.pk).update(**{name: getattr(page, name) for name in fields})
        self._cancel_workflows(pks)
        self._log(pages, revisions, now, moved=moved)
        self._extract_references(pages, items, update_references)
        return list(zip(pages, items, strict=True))

    def _move_leaf(self, page: ArticlePage, section: Page):
        """The source moved the article to another section; articles have no children, so only its row moves."""
        before = Page.objects.only("title").get(path=page.path[: -Page.steplen])
        [path] = next_child_paths(section, 1)
        [slug] = unique_slugs(section, [page.slug], exclude_pk=page.pk)
        Page.objects.filter(pk=before.pk).update(numchild=F("numchild") - 1)
        add_children_count(section, 1)
        page.path, page.depth, page.slug = path, section.depth + 1, slug
        page.url_path = f"{section.url_path}{slug}/"
        Page.objects.filter(pk=page.pk).update(path=path, depth=page.depth, slug=slug, url_path=page.url_path)
        return page, before, section

    def _cancel_workflows(self, pks: list[int]) -> None:
        """Publishing ends a moderation workflow in progress, as it does in the admin."""
        states = WorkflowState.objects.filter(
            base_content_type=self.page_type,
            object_id__in=[str(pk) for pk in pks],
            status=WorkflowState.STATUS_IN_PROGRESS,
        )
        for state in states:
            state.cancel(user=None)


@contextmanager
def body_hidden(pages: list[ArticlePage]):
    """Imported bodies are escaped text: they cannot hold links or embeds, so reference extraction skips them."""
    bodies = [page.body for page in pages]
    for page in pages:
        page.body = []
    try:
        yield
    finally:
        for page, body in zip(pages, bodies, strict=True):
            page.body = body


def _in_chunks(queryset, field_name: str, values: list, size: int = 500):
    """`field__in` over a long list without hitting the database's parameter limit."""
    for start in range(0, len(values), size):
        yield from queryset.filter(**{f"{field_name}__in": values[start : start + size]})
