"""Western (0-9) and Arabic-Indic (٠-٩) digits."""

ARABIC_INDIC = "٠١٢٣٤٥٦٧٨٩"
EASTERN_ARABIC_INDIC = "۰۱۲۳۴۵۶۷۸۹"  # Persian/Urdu forms, sometimes typed by readers

_TO_ARABIC_INDIC = str.maketrans("0123456789", ARABIC_INDIC)
_TO_WESTERN = str.maketrans(ARABIC_INDIC + EASTERN_ARABIC_INDIC, "0123456789" * 2)

WESTERN = "latn"
ARABIC = "arab"


def to_arabic_indic(text: str) -> str:
    return text.translate(_TO_ARABIC_INDIC)


def to_western(text: str) -> str:
    return text.translate(_TO_WESTERN)


def localize_digits(text: str, style: str) -> str:
    """Render the digits of `text` in the site's style (`latn` or `arab`)."""
    return to_arabic_indic(text) if style == ARABIC else to_western(text)
