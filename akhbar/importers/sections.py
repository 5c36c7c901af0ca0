"""Sections for imported categories: found by slug or title under the import's parent, created when missing."""

import json
import re
from pathlib import Path

from django.utils.translation import gettext as _
from wagtail.models import Page, Site
from wagtail.signal_handlers import disable_reference_index_auto_update

from akhbar.arabic.text import arabic_slug, clean_line
from akhbar.news.models import SectionPage

from .indexing import index_objects
from .jsonl import ImportFailure, shown

# Arabic names for the category codes of the ANT corpus (../shared/corpus/README.md).
DEFAULT_SECTION_NAMES = {
    "internationalNews": "العالم",
    "middleEast": "الشرق الأوسط",
    "sport": "رياضة",
    "economy": "اقتصاد",
    "technology": "تكنولوجيا",
    "culture": "ثقافة",
    "localNews": "وطنية",
    "society": "مجتمع",
    "politic": "سياسة",
    "diverse": "متفرقات",
}
MAP_MAX_BYTES = 1024 * 1024


def category_slug(category: str) -> str:
    """`internationalNews` → `international-news`; Arabic category names keep Arabic slugs."""
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "-", category)
    return arabic_slug(spaced, max_length=80) or "section"


def load_sections_map(path: Path) -> dict[str, dict]:
    """Read `{"sport": "رياضة"}` or `{"sport": {"name": "رياضة", "slug": "sport"}}`."""
    try:
        if path.stat().st_size > MAP_MAX_BYTES:
            raise ImportFailure(_("The sections map %(path)s is too large") % {"path": path})
        data = json.loads(path.read_bytes().decode("utf-8"))
    except FileNotFoundError:
        raise ImportFailure(_("File not found: %(path)s") % {"path": path}) from None
    except IsADirectoryError:
        raise ImportFailure(_("%(path)s is a directory, not a JSON Lines file") % {"path": path}) from None
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise ImportFailure(
            _("Cannot read the sections map %(path)s: %(error)s") % {"path": path, "error": shown(error, 120)}
        ) from None
    invalid = ImportFailure(
        _("The sections map %(path)s must be a JSON object mapping each category to a section name") % {"path": path}
    )
    if not isinstance(data, dict):
        raise invalid
    result = {}
    for category, value in data.items():
        if isinstance(value, str):
            value = {"name": value}
        if not isinstance(value, dict) or not isinstance(value.get("name", ""), str):
            raise invalid
        if not isinstance(value.get("slug", ""), str):
            raise invalid
        name = clean_line(value.get("name", ""))[:255]
        slug = arabic_slug(value.get("slug", ""), max_length=80)
        result[category] = {key: item for key, item in (("name", name), ("slug", slug)) if item}
    return result


def import_site() -> Site:
    """The default site, given its Akhbar home page first when the database has only Wagtail's
    welcome page (a database just migrated): otherwise the sections would go under that page,
    which is not a home page and lists nothing."""
    from akhbar.core.management.site_setup import ensure_home_page

    ensure_home_page()
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is None:
        raise ImportFailure(_("The site has no home page yet: run “akhbar migrate” and create the site first"))
    return site


def parent_page(site: Site, section_slug: str | None) -> Page:
    """Where new sections go: the home page, or the section named by --parent-section."""
    home = site.root_page
    if not section_slug:
        return home
    matches = list(SectionPage.objects.descendant_of(home).filter(slug=section_slug).order_by("path")[:2])
    if not matches:
        raise ImportFailure(_("No section has the slug “%(slug)s”") % {"slug": shown(section_slug)})
    if len(matches) > 1:
        raise ImportFailure(
            _("Several sections have the slug “%(slug)s”; give the slug of a section that is unique")
            % {"slug": shown(section_slug)}
        )
    return matches[0]


class SectionResolver:
    """Category code → SectionPage under one parent, remembered for the rest of the run."""

    def __init__(self, parent: Page, names: dict[str, dict] | None = None):
        self.parent = parent
        self.names = names or {}
        self.cache: dict[str, SectionPage] = {}
        self.created: list[SectionPage] = []

    def spec(self, category: str) -> tuple[str, str]:
        mapped = self.names.get(category, {})
        name = mapped.get("name") or DEFAULT_SECTION_NAMES.get(category) or clean_line(category)[:255]
        return name, mapped.get("slug") or category_slug(category)

    def __call__(self, category: str) -> SectionPage:
        section = self.cache.get(category)
        if section is None:
            section = self.cache[category] = self.find_or_create(category)
        return section

    def find_or_create(self, category: str) -> SectionPage:
        name, slug = self.spec(category)
        children = SectionPage.objects.child_of(self.parent)
        section = children.filter(slug=slug).first() or children.filter(title=name).order_by("path").first()
        if section is not None:
            return section
        taken = set(self.parent.get_children().filter(slug__startswith=slug).values_list("slug", flat=True))
        unique, n = slug, 1
        while unique in taken:
            n += 1
            unique = f"{slug}-{n}"
        section = SectionPage(title=name, slug=unique, show_in_menus=True)
        # A handful of sections per run: Wagtail's own API; indexed here so nothing waits for the worker.
        with disable_reference_index_auto_update():
            self.parent.add_child(instance=section)
            section.save_revision().publish()
        index_objects(SectionPage, [section])
        self.created.append(section)
        return section
