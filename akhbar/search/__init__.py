"""Reader-facing search at /search/."""


def learned_table_sizes() -> dict[str, int]:
    """Rows of each table learned from the site's own articles ({name: rows}), for reports.

    Imports models only when called, so importing the package needs nothing but Django set up.
    Helpers add their learned tables here, one entry each.
    """
    from akhbar.aliases.models import Alias, AliasProposal

    from .vocabulary import vocabulary_size

    return {
        "vocabulary (indexed words)": vocabulary_size(),
        "Latin aliases proposed to editors": AliasProposal.objects.count(),
        "Latin aliases confirmed by editors": Alias.objects.count(),
    }
