"""First-generation 15-digit ID numbers are accepted, converted per GB 11643 and shown converted."""

from __future__ import annotations

import random
import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from stdnum.cn import ric

from form_service.applications.identity import InvalidValue, parse_id_number
from form_service.messages import IdNumber
from form_service.store import Store
from form_service.store.crypto import IdentityCipher
from form_service.store.tables import applications
from tests.support.pages import (
    Applicant,
    answers,
    element_text,
    error_summary,
    hidden_fields,
    text_of,
)

TODAY = date(2011, 7, 1)
# County codes that stdnum's table knows without a range of years, so that its full check applies.
REGIONS = ("110105", "110108", "120101", "310101", "310104", "310107", "310110")


def _generated(count: int) -> list[str]:
    rng = random.Random(2011)
    numbers = set()
    while len(numbers) < count:
        born = date(1900, 1, 1) + timedelta(days=rng.randrange(36_524))  # 1900-01-01..1999-12-31
        numbers.add(f"{rng.choice(REGIONS)}{born:%y%m%d}{rng.randrange(1000):03d}")
    return sorted(numbers)


def test_a_thousand_fifteen_digit_numbers_convert_with_the_check_digit_of_gb_11643() -> None:
    numbers = _generated(1_200)
    for old in numbers:
        resident = parse_id_number(old, today=TODAY)
        body = old[:6] + "19" + old[6:]
        # python-stdnum computes the check digit on its own (ISO 7064 MOD 11-2, base-13 trick).
        assert resident.number == body + ric.calc_check_digit(body + "0"), old
        assert ric.validate(resident.number) == resident.number
        assert resident.birth_date == ric.get_birth_date(resident.number)
        assert resident.gender == ("男" if int(old[-1]) % 2 else "女")
        assert resident.converted_from == old
    assert len(numbers) == 1_200


def test_typed_with_spaces_or_full_width_digits_it_converts_the_same() -> None:
    assert parse_id_number("110105 491231 002", today=TODAY).number == "11010519491231002X"
    assert (
        parse_id_number("１１０１０５４９１２３１００２", today=TODAY).number
        == "11010519491231002X"
    )
    assert parse_id_number("11010519491231002X", today=TODAY).converted_from is None


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("110105491331002", IdNumber.BIRTH_DATE),  # month 13
        ("110105490230002", IdNumber.BIRTH_DATE),  # 30 February
        ("990105491231002", IdNumber.REGION),
        ("11010549123100X", IdNumber.CHARACTERS),  # a first-generation number has no X
        ("1101054912310021", IdNumber.LENGTH.format(count=16)),
        ("11010549123100", IdNumber.LENGTH.format(count=14)),
    ],
)
def test_a_wrong_fifteen_digit_number_is_refused_with_its_reason(raw: str, message: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        parse_id_number(raw, today=TODAY)
    assert refused.value.message == message


def test_the_check_answers_page_shows_the_converted_number_and_it_is_stored(
    client: FlaskClient, store: Store, cipher: IdentityCipher
) -> None:
    person = Applicant(client)
    checked = person.check("jobseeker", answers("jobseeker", id_number="310104750312201"))
    page = checked.get_data(as_text=True)
    assert checked.status_code == 200, error_summary(page)
    note = IdNumber.CONVERTED.format(old="310104750312201")
    assert _summary(page)["身份证号码"] == f"310104197503122014({note})"
    assert ("id_number", "310104197503122014") in hidden_fields(page)

    confirmation = person.confirm("jobseeker", page)
    reference = element_text(confirmation, "reference")
    with store.read() as conn:
        row = conn.execute(
            sa.select(applications).where(applications.c.reference == reference)
        ).one()
    assert cipher.decrypt(row.id_number_encrypted) == "310104197503122014"
    assert (row.birth_date, row.gender, row.id_last4) == (date(1975, 3, 12), "男", "2014")
    assert row.id_number_hash == cipher.keyed_hash("310104197503122014")


def test_the_same_person_with_the_old_and_the_new_number_is_one_applicant(
    client: FlaskClient,
) -> None:
    person = Applicant(client)
    person.apply("jobseeker", id_number="310104197503122014")
    opened = person.open("jobseeker")
    again = person.submit("jobseeker", answers("jobseeker", id_number="310104750312201"),
                          opened=opened)  # fmt: skip
    assert again.status_code == 409


def _summary(page: str) -> dict[str, str]:
    """Return the check-answers rows as the person reads them: label → answer."""
    keys = re.findall(r'<dt class="summary__key">(.*?)</dt>', page, re.S)
    values = re.findall(r'<dd class="summary__value">(.*?)</dd>', page, re.S)
    return {text_of(k): text_of(v) for k, v in zip(keys, values, strict=True)}
