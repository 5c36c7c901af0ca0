"""What an editor may type as an alias: a short name, nothing that hides or injects anything.

Kept apart from the models so forms, the admin and the proposal job share one set of rules.
"""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from akhbar.arabic.text import BIDI_CONTROLS, clean_line

MAX_NAME_LENGTH = 100
MAX_NAME_WORDS = 6
_MARKUP = re.compile(r"[<>{}\[\]`\\|]|&[#a-zA-Z0-9]+;|javascript:", re.IGNORECASE)
_ARABIC_LETTER = re.compile("[\u0621-\u064a\u0671-\u06d3]")
_LATIN_NAME = re.compile(r"^[A-Za-z0-9 .'\-]+$")
_ARABIC_NAME = re.compile("^[\u0600-\u06ff\u0750-\u077f0-9 .'\\-]+$")


def _common(value: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(_("This name is empty."), code="empty")
    if len(value) > MAX_NAME_LENGTH:
        raise ValidationError(_("This name is too long (at most %(max)d characters).") % {"max": MAX_NAME_LENGTH}, code="too_long")
    if any(ch in BIDI_CONTROLS and ch not in "\u200c\u200d" for ch in value) or "\u061c" in value:
        raise ValidationError(_("Remove the invisible direction characters from this name."), code="bidi")
    if _MARKUP.search(value):
        raise ValidationError(_("A name cannot contain markup or code."), code="markup")
    if any(unicodedata.category(ch) in {"Cc", "Cf", "Co", "Cs"} and ch not in "\u200c\u200d" for ch in value):
        raise ValidationError(_("Remove the control characters from this name."), code="control")
    value = clean_line(value)
    if len(value.split()) > MAX_NAME_WORDS:
        raise ValidationError(_("A name has at most %(max)d words.") % {"max": MAX_NAME_WORDS}, code="too_many_words")
    return value


def clean_latin_name(value: str) -> str:
    """A name in Latin letters (accents allowed): "Real Madrid", "Al-Hodeidah", "Jean-Yves Le Drian"."""
    value = _common(value)
    plain = unicodedata.normalize("NFKD", value)
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    if not _LATIN_NAME.match(plain) or not re.search("[A-Za-z]", plain):
        raise ValidationError(_("Write the alias in Latin letters, for example Putin."), code="not_latin")
    return value


def clean_arabic_name(value: str) -> str:
    """A name in Arabic letters, as the articles write it: "بوتين", "ريال مدريد"."""
    value = _common(value)
    if not _ARABIC_NAME.match(value) or not _ARABIC_LETTER.search(value):
        raise ValidationError(_("Write the name in Arabic letters, as the articles write it."), code="not_arabic")
    return value
