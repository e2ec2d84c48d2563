"""ID numbers (GB 11643), mobile numbers, names and references: exact outcomes and properties."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from form_service.applications.identity import (
    InvalidValue,
    ResidentId,
    check_character,
    mask_id_number,
    mask_phone,
    parse_id_number,
    parse_name,
    parse_phone,
)
from form_service.applications.references import DIGITS, LETTERS, new_reference, normalise_reference
from form_service.messages import IdNumber, Name, Phone

TODAY = date(2011, 7, 1)


@pytest.mark.parametrize(
    ("raw", "number", "born", "gender"),
    [
        ("11010519491231002X", "11010519491231002X", date(1949, 12, 31), "女"),
        ("44011320141005001x", "44011320141005001X", date(2014, 10, 5), "男"),
        ("360426199101010071", "360426199101010071", date(1991, 1, 1), "男"),
        ("１１０１０５１９４９１２３１００２Ｘ", "11010519491231002X", date(1949, 12, 31), "女"),
        (" 110105 19491231 002x ", "11010519491231002X", date(1949, 12, 31), "女"),
        ("110105-19491231-002X", "11010519491231002X", date(1949, 12, 31), "女"),
        ("310110198007253121", "310110198007253121", date(1980, 7, 25), "女"),
        ("34122119881105452X", "34122119881105452X", date(1988, 11, 5), "女"),
    ],
)
def test_valid_id_numbers_are_normalised(raw: str, number: str, born: date, gender: str) -> None:
    today = date(2015, 1, 1)  # 44011320141005001X was born in 2014
    assert parse_id_number(raw, today=today) == ResidentId(number, born, gender)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", IdNumber.REQUIRED),
        ("   ", IdNumber.REQUIRED),
        ("110105194912310021", IdNumber.CHECK_DIGIT),
        ("36042619910102009X", IdNumber.CHECK_DIGIT),
        ("360426199113010079", IdNumber.BIRTH_DATE),
        ("110105194902300024", IdNumber.BIRTH_DATE),
        ("110105201201010011", IdNumber.BIRTH_DATE),  # born after today
        ("110105189912310010", IdNumber.BIRTH_DATE),  # before 1900
        ("440524188001010014", IdNumber.BIRTH_DATE),  # GB 11643's own example, born 1880
        ("T60426199101010078", IdNumber.CHARACTERS),
        ("990426199112010074", IdNumber.REGION),
        ("11010519491231002", IdNumber.LENGTH.format(count=17)),
        ("11010519491231002X1", IdNumber.LENGTH.format(count=19)),
        ("110105491331002", IdNumber.BIRTH_DATE),  # 15 digits: month 13
        ("١١٠١٠٥١٩٤٩١٢٣١٠٠٢X", IdNumber.CHARACTERS),
        ("11010519491231\u200b002X", IdNumber.CHARACTERS),
        ("1101051949123100\x002X", IdNumber.CHARACTERS),
        ("%FF%FE", IdNumber.CHARACTERS),
    ],
)
def test_invalid_id_numbers_say_why(raw: str, message: str) -> None:
    with pytest.raises(InvalidValue) as caught:
        parse_id_number(raw, today=TODAY)
    assert caught.value.message == message


@given(st.text(alphabet="0123456789", min_size=17, max_size=17))
def test_check_character_agrees_with_the_closed_form(body: str) -> None:
    closed = (1 - 2 * int(body, 13)) % 11  # python-stdnum's formula
    assert check_character(body) == ("X" if closed == 10 else str(closed))


@given(st.integers(min_value=0, max_value=16), st.integers(min_value=1, max_value=9))
def test_any_single_digit_change_is_caught(position: int, delta: int) -> None:
    valid = "11010519491231002X"
    changed = valid[:position] + str((int(valid[position]) + delta) % 10) + valid[position + 1 :]
    with pytest.raises(InvalidValue):
        parse_id_number(changed, today=TODAY)


@pytest.mark.parametrize(
    "raw",
    [
        "13912345678",
        "+86 139 1234 5678",
        "139-1234-5678",
        "１３９１２３４５６７８",
        "0086 13912345678",
        "8613912345678",
        "(139) 1234 5678",
        "139\u30001234\u30005678",
    ],
)
def test_mobile_numbers_are_normalised(raw: str) -> None:
    assert parse_phone(raw) == "13912345678"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", Phone.REQUIRED),
        ("12345678901", Phone.INVALID),
        ("1391234567", Phone.INVALID),
        ("139123456789", Phone.INVALID),
        ("63211939", Phone.INVALID),
        ("١٣٩١٢٣٤٥٦٧٨", Phone.INVALID),
        ("139\u200b12345678", Phone.INVALID),
    ],
)
def test_invalid_mobile_numbers(raw: str, message: str) -> None:
    with pytest.raises(InvalidValue) as caught:
        parse_phone(raw)
    assert caught.value.message == message


@pytest.mark.parametrize(
    ("raw", "name"),
    [
        ("张三", "张三"),
        ("  张三\u3000", "张三"),
        ("张 三", "张三"),
        ("阿卜来提·如则托合提", "阿卜来提·如则托合提"),
        ("买买提•艾力", "买买提·艾力"),
        ("买买提・艾力", "买买提·艾力"),
        ("买买提 . 艾力", "买买提·艾力"),
        ("迪里拜尔‧尤努斯", "迪里拜尔·尤努斯"),
        ("王𠀀", "王𠀀"),  # Ext-B, outside GBK
        ("李𬍛𬱖", "李𬍛𬱖"),
        ("龘龘", "龘龘"),
        ("Mary Smith", "Mary Smith"),
        ("张" * 50, "张" * 50),
    ],
)
def test_names_accepted(raw: str, name: str) -> None:
    assert parse_name(raw) == name


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", Name.REQUIRED),
        ("\u3000 ", Name.REQUIRED),
        ("张", Name.TOO_SHORT),
        ("张" * 51, Name.TOO_LONG.format(count=51)),
        ("张\u200b三", Name.INVISIBLE),
        ("\u202e张三", Name.INVISIBLE),
        ("\ufeff张三", Name.INVISIBLE),
        ("张\x00三", Name.INVISIBLE),
        ("张三\r\nINFO admin", Name.INVISIBLE),
        ("张三😀", Name.CHARACTERS),
        ("张三3", Name.CHARACTERS),
        ("<script>", Name.CHARACTERS),
        ("%FF%FE", Name.CHARACTERS),
        ("·张三", Name.SEPARATOR),
        ("张··三", Name.SEPARATOR),
    ],
)
def test_names_refused(raw: str, message: str) -> None:
    with pytest.raises(InvalidValue) as caught:
        parse_name(raw)
    assert caught.value.message == message


def test_masks() -> None:
    assert mask_id_number("310104197503122014") == "310***********2014"
    assert mask_phone("13912345678") == "139****5678"


@given(st.text(alphabet="0123456789", min_size=11, max_size=11))
def test_mask_hides_the_middle(middle: str) -> None:
    number = "310" + middle + "2014"
    masked = mask_id_number(number)
    assert len(masked) == 18 and masked != number
    assert masked == mask_id_number("310" + "0" * 11 + "2014")


def test_references_avoid_look_alikes() -> None:
    for _ in range(200):
        reference = new_reference()
        assert len(reference) == 8
        assert all(ch in LETTERS + DIGITS for ch in reference)
        assert all(reference[i] in DIGITS for i in (2, 5))
    assert not set("IOQZ01") & set(LETTERS + DIGITS)
    assert normalise_reference(" abc2-def3 ") == "ABC2DEF3"
    assert normalise_reference("ＡＢＣ２ＤＥＦ３") == "ABC2DEF3"
    assert normalise_reference("ABC2DEF") is None
    assert normalise_reference("ABC0DEF3") is None
