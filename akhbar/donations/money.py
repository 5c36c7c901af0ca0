"""Amounts of money as readers type them and as payment providers count them.

Pure Python (no Django): a reader may type «٥٠», «50٫5», «1,000» or «١٬٠٠٠»; every amount is a
Decimal with its currency's number of decimals, and never a float.
"""

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from akhbar.arabic.digits import to_western

# ISO 4217 currencies the newsrooms' readers pay in, with their minor-unit exponent.
CURRENCIES = {
    "USD": 2, "EUR": 2, "GBP": 2, "SAR": 2, "AED": 2, "QAR": 2, "EGP": 2, "MAD": 2, "DZD": 2,
    "LBP": 2, "SYP": 2, "SDG": 2, "YER": 2, "TRY": 2, "MRU": 2,
    "KWD": 3, "BHD": 3, "OMR": 3, "JOD": 3, "IQD": 3, "LYD": 3, "TND": 3,
}
MAX_TYPED = 30  # characters: more is not an amount anyone types

_GROUPING = re.compile(r"^\d{1,3}([,\u066c]\d{3})+([.\u066b]\d+)?$")


class AmountError(ValueError):
    """Why a typed amount is not one; `code` names the reason for the message shown."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def exponent(currency: str) -> int:
    return CURRENCIES.get(currency.upper(), 2)


def parse_amount(typed: str, currency: str) -> Decimal:
    """The amount a reader typed, exact to the currency's decimals; AmountError otherwise."""
    text = to_western((typed or "").strip()).replace("\u00a0", "").replace(" ", "")
    if not text:
        raise AmountError("empty")
    if len(text) > MAX_TYPED:
        raise AmountError("invalid")
    if _GROUPING.match(text):
        text = re.sub(r"[,\u066c]", "", text)
    text = text.replace("\u066b", ".").replace(",", ".")
    if not re.fullmatch(r"\d+(\.\d+)?", text):
        raise AmountError("invalid")
    try:
        amount = Decimal(text)
    except InvalidOperation as error:
        raise AmountError("invalid") from error
    places = exponent(currency)
    if -amount.normalize().as_tuple().exponent > places:
        raise AmountError("decimals")
    return amount.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def to_minor_units(amount: Decimal, currency: str) -> int:
    """What providers count in: cents, fils, …"""
    return int((amount * (10 ** exponent(currency))).to_integral_value(rounding=ROUND_HALF_UP))


def from_minor_units(units: int, currency: str) -> Decimal:
    return (Decimal(units) / (10 ** exponent(currency))).quantize(Decimal(1).scaleb(-exponent(currency)))


def parse_suggestions(text: str, currency: str) -> list[Decimal]:
    """An editor's «10, 25, 50» (any digits, commas or Arabic commas), invalid items dropped."""
    amounts = []
    for item in re.split(r"[\s,\u060c;]+", to_western(text or "")):
        try:
            amount = parse_amount(item, currency)
        except AmountError:
            continue
        if amount > 0 and amount not in amounts:
            amounts.append(amount)
    return amounts[:8]
