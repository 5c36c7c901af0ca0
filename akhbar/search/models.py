"""What the search index has learned from the site's own articles."""

from django.db import models
from django.utils.translation import gettext_lazy as _

# Index terms are cut at 40 letters (akhbar.arabic.analysis.analyzer.MAX_TERM_LENGTH).
MAX_WORD_LENGTH = 64


class IndexedWord(models.Model):
    """A normalised surface word of the search index and how many indexed documents contain it.

    Spelling correction and query expansion only propose words that occur in the site's
    articles; the counts tell a rare word from a common one. Kept up to date as documents
    are indexed (akhbar/search/index.py) and recounted exactly by `vocabulary.relearn()`.
    """

    word = models.CharField(_("word"), max_length=MAX_WORD_LENGTH, primary_key=True)
    documents = models.PositiveIntegerField(_("documents"), default=0)

    class Meta:
        verbose_name = _("indexed word")
        verbose_name_plural = _("indexed words")

    def __str__(self) -> str:
        return f"{self.word} ({self.documents})"
