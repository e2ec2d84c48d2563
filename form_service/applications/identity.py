"""Resident ID numbers (GB 11643), mobile numbers and names: normalise, validate, mask."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from form_service.messages import IdNumber as IdMsg
from form_service.messages import Name as NameMsg
from form_service.messages import Phone as PhoneMsg
from form_service.messages import Refusal


class InvalidValue(Refusal, ValueError):
    """An answer that cannot be accepted; `message` is what the person reads."""


_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS = "10X98765432"
# First two digits of GB/T 2260 province-level codes; 71/81/82/83 are the residence permits of
# Taiwan, Hong Kong and Macao residents, which use the same layout and check character.
_PROVINCES = frozenset(
    [
        "11",
        "12",
        "13",
        "14",
        "15",
        "21",
        "22",
        "23",
        "31",
        "32",
        "33",
        "34",
        "35",
        "36",
        "37",
        "41",
        "42",
        "43",
        "44",
        "45",
        "46",
        "50",
        "51",
        "52",
        "53",
        "54",
        "61",
        "62",
        "63",
        "64",
        "65",
        "71",
        "81",
        "82",
        "83",
    ]
)
_ID_SHAPE = re.compile(r"\d{17}[\dX]", re.ASCII)
_OLD_ID_SHAPE = re.compile(r"\d{15}", re.ASCII)
# GB 11643-1999 turns a first-generation number into the 18-character form by putting this
# century in front of its two-digit birth year: those cards were issued to people born in 19xx.
OLD_ID_CENTURY = "19"
_EARLIEST_BIRTH = date(1900, 1, 1)
# Whitespace and the separators people type between groups of digits.
_DIGIT_SEPARATORS = re.compile(r"[\s\-‐-―−()()\.]+")
_MOBILE = re.compile(r"1[3-9]\d{9}", re.ASCII)

# The separator in minority names is U+00B7; these look-alikes are typed instead (NFKC keeps most).
NAME_SEPARATOR = "·"
_LOOKALIKE_SEPARATORS = "•‧・･⋅∙．.･﹒᛫⸱"
_SEPARATOR_MAP = str.maketrans({c: NAME_SEPARATOR for c in _LOOKALIKE_SEPARATORS})
NAME_MIN = 2
NAME_MAX = 50


@dataclass(frozen=True)
class ResidentId:
    """A valid 18-character ID number and the facts it carries.

    `converted_from` holds the 15-digit first-generation number the person typed, when the
    18-character `number` was made from it.
    """

    number: str
    birth_date: date
    gender: str  # 男 | 女
    converted_from: str | None = None

    @property
    def last4(self) -> str:
        return self.number[-4:]


def check_character(body17: str) -> str:
    """Return the ISO 7064 MOD 11-2 check character of a 17-digit body."""
    total = sum(int(d) * w for d, w in zip(body17, _WEIGHTS, strict=True))
    return _CHECK_CHARS[total % 11]


def eighteen_from_fifteen(old15: str) -> str:
    """Return the 18-character form of a 15-digit number: century inserted, check digit added."""
    body17 = old15[:6] + OLD_ID_CENTURY + old15[6:]
    return body17 + check_character(body17)


def has_invisible(value: str, *, allow_newlines: bool = False) -> bool:
    """Tell whether `value` holds control (Cc) or format (Cf) characters, e.g. NUL or U+200B."""
    allowed = "\n\r\t" if allow_newlines else ""
    return any(unicodedata.category(ch) in ("Cc", "Cf", "Cs") and ch not in allowed for ch in value)


def _digits_only_form(raw: str) -> str:
    """NFKC (full-width digits and Ｘ become ASCII), then drop spaces and group separators."""
    return _DIGIT_SEPARATORS.sub("", unicodedata.normalize("NFKC", raw)).upper()


def parse_id_number(raw: str, *, today: date) -> ResidentId:
    """Return the canonical ID number (upper-case X) or raise InvalidValue with the reason."""
    if not raw or not raw.strip():
        raise InvalidValue(IdMsg.REQUIRED)
    value = _digits_only_form(raw)
    if not value:
        raise InvalidValue(IdMsg.REQUIRED)
    converted_from = None
    if _OLD_ID_SHAPE.fullmatch(value):
        # A first-generation card carries no check digit: region and birth date are checked below.
        converted_from, value = value, eighteen_from_fifteen(value)
    elif not _ID_SHAPE.fullmatch(value):
        if len(value) not in (15, 18) and value.isascii() and value.isalnum():
            raise InvalidValue(IdMsg.LENGTH.format(count=len(value)))
        raise InvalidValue(IdMsg.CHARACTERS)
    if value[:2] not in _PROVINCES:
        raise InvalidValue(IdMsg.REGION)
    try:
        born = date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        raise InvalidValue(IdMsg.BIRTH_DATE) from None
    if born < _EARLIEST_BIRTH or born > today:
        raise InvalidValue(IdMsg.BIRTH_DATE)
    if check_character(value[:17]) != value[17]:
        raise InvalidValue(IdMsg.CHECK_DIGIT)
    gender = "男" if int(value[16]) % 2 else "女"
    return ResidentId(value, born, gender, converted_from)


def parse_phone(raw: str) -> str:
    """Return the 11-digit mobile number (no +86, spaces or full-width digits) or raise."""
    if not raw or not raw.strip():
        raise InvalidValue(PhoneMsg.REQUIRED)
    value = _digits_only_form(raw)
    if value.startswith("+86"):
        value = value[3:]
    elif value.startswith("0086"):
        value = value[4:]
    elif value.startswith("86") and len(value) == 13:
        value = value[2:]
    if not _MOBILE.fullmatch(value):
        raise InvalidValue(PhoneMsg.INVALID)
    return value


def _is_name_letter(ch: str) -> bool:
    # Planes 2 and 3 hold only CJK ideographs; newer extensions may postdate Python's tables.
    if 0x20000 <= ord(ch) <= 0x3FFFF:
        return True
    category = unicodedata.category(ch)
    return category.startswith("L") or category in ("Mn", "Mc")


def parse_name(raw: str) -> str:
    """Return the name as it should be stored (NFC, `·` separators) or raise InvalidValue.

    NFKC is deliberately not used: it would rewrite CJK compatibility ideographs that appear in
    household-registration names. Rare characters outside GBK (Ext-B and beyond) are kept.
    """
    if raw is None or not raw.strip():
        raise InvalidValue(NameMsg.REQUIRED)
    if has_invisible(raw):
        raise InvalidValue(NameMsg.INVISIBLE)
    value = unicodedata.normalize("NFC", raw).translate(_SEPARATOR_MAP)
    value = re.sub(r"\s*·\s*", NAME_SEPARATOR, value.strip())
    # Spaces between Chinese characters are typing noise; between Latin letters they are real.
    value = re.sub(r"(?<=[^\x00-\x7f])\s+(?=[^\x00-\x7f])", "", value)
    value = re.sub(r"\s+", " ", value)
    if not value:
        raise InvalidValue(NameMsg.REQUIRED)
    for ch in value:
        if ch not in (NAME_SEPARATOR, " ") and not _is_name_letter(ch):
            raise InvalidValue(NameMsg.CHARACTERS)
    if value.startswith(NAME_SEPARATOR) or value.endswith(NAME_SEPARATOR) or "··" in value:
        raise InvalidValue(NameMsg.SEPARATOR)
    count = len(value)
    if count < NAME_MIN:
        raise InvalidValue(NameMsg.TOO_SHORT)
    if count > NAME_MAX:
        raise InvalidValue(NameMsg.TOO_LONG.format(count=count))
    return value


def mask_id_number(value: str) -> str:
    """Show the first 3 and last 4 characters of an ID number: `310***********1234`."""
    if len(value) <= 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_phone(value: str) -> str:
    """Show the first 3 and last 4 digits of a mobile number: `139****5678`."""
    if len(value) <= 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]
