"""Field types that own their rules: each cleans its answer, explains a problem, shows itself.

After `form.validate()`, every field's `value` holds the canonical answer (or None when an
optional answer was left empty); `data` keeps what the person typed when the answer is wrong,
so the page shows it back to them unchanged.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from wtforms import BooleanField, Field, StringField
from wtforms.validators import StopValidation

from form_service.applications import identity
from form_service.applications.identity import InvalidValue
from form_service.messages import Choice, IdNumber, Number, Text
from site_builder.catalog import today

NOT_GIVEN = "未填写"


class Answer:
    """What every answer field offers the templates and the check-answers page."""

    hint: str = ""
    required: bool = True
    multiple: bool = False
    value: Any = None
    # Provided by the WTForms field this is mixed into.
    id: str
    name: str
    type: str
    errors: Any
    label: Any

    def anchor(self) -> str:
        """Return the id the error summary links to (the first option of a group)."""
        return str(self.id)

    def display(self) -> str:
        value = self.value
        if value is None or value == () or value == "":
            return NOT_GIVEN
        if isinstance(value, tuple):
            return "、".join(self._label_of(v) for v in value)
        return self._label_of(str(value))

    def _label_of(self, value: str) -> str:
        return value

    @property
    def label_text(self) -> str:
        return str(self.label.text)


class CleanedText(Answer, StringField):
    """A typed answer; subclasses say how to clean it."""

    def __init__(self, label: str, *, hint: str = "", required: bool = True, **kw: Any) -> None:
        super().__init__(label, **kw)
        self.hint = hint
        self.required = required
        self.value = None

    def process_formdata(self, valuelist: list[Any]) -> None:
        self.data = str(valuelist[0]) if valuelist else ""

    def clean(self, raw: str) -> Any:
        raise NotImplementedError

    def shown(self, value: Any) -> str:
        return str(value)

    def pre_validate(self, form: Any) -> None:
        raw = self.data or ""
        try:
            self.value = self.clean(raw)
        except InvalidValue as exc:
            self.value = None
            raise StopValidation(exc.message) from None
        self.data = "" if self.value is None else self.shown(self.value)


class NameAnswer(CleanedText):
    def clean(self, raw: str) -> str:
        return identity.parse_name(raw)


class IdNumberAnswer(CleanedText):
    def clean(self, raw: str) -> identity.ResidentId:
        return identity.parse_id_number(raw, today=today())

    def shown(self, value: Any) -> str:
        return str(value.number)

    def display(self) -> str:
        if self.value is None:
            return NOT_GIVEN
        if self.value.converted_from:
            note = IdNumber.CONVERTED.format(old=self.value.converted_from)
            return f"{self.value.number}({note})"
        return str(self.value.number)


class PhoneAnswer(CleanedText):
    def clean(self, raw: str) -> str:
        return identity.parse_phone(raw)


class TextAnswer(CleanedText):
    """Free text: no invisible characters, NFC, trimmed, at most `limit` characters."""

    def __init__(self, label: str, *, limit: int, multiline: bool = False, **kw: Any) -> None:
        super().__init__(label, **kw)
        self.limit = limit
        self.multiline = multiline

    def clean(self, raw: str) -> str | None:
        if identity.has_invisible(raw, allow_newlines=self.multiline):
            raise InvalidValue(Text.INVISIBLE.format(label=self.label_text))
        value = unicodedata.normalize("NFC", raw).replace("\r\n", "\n").strip()
        if not value:
            if self.required:
                raise InvalidValue(Text.REQUIRED.format(label=self.label_text))
            return None
        if len(value) > self.limit:
            message = Text.TOO_LONG.format(
                label=self.label_text, limit=self.limit, count=len(value)
            )
            raise InvalidValue(message)
        return value


class NumberAnswer(CleanedText):
    """A whole number typed as text, e.g. an amount in 元: commas, spaces and 元 are allowed."""

    def __init__(self, label: str, *, low: int, high: int, example: str, **kw: Any) -> None:
        super().__init__(label, **kw)
        self.low, self.high, self.example = low, high, example

    def clean(self, raw: str) -> int | None:
        if identity.has_invisible(raw):
            raise InvalidValue(Text.INVISIBLE.format(label=self.label_text))
        value = re.sub(r"[\s,，元人年]+", "", unicodedata.normalize("NFKC", raw))
        if not value:
            if self.required:
                raise InvalidValue(Number.REQUIRED.format(label=self.label_text))
            return None
        if not re.fullmatch(r"\d{1,12}", value, re.ASCII):
            raise InvalidValue(
                Number.NOT_A_NUMBER.format(label=self.label_text, example=self.example)
            )
        number = int(value)
        if not self.low <= number <= self.high:
            message = Number.OUT_OF_RANGE.format(
                label=self.label_text, low=self.low, high=self.high
            )
            raise InvalidValue(message)
        return number


class ClosedListAnswer(Answer, Field):
    """An answer picked from a closed list of (value, label) pairs, shown by its label.

    `choices` may be replaced by a form when it is built.
    """

    def __init__(
        self,
        label: str,
        *,
        choices: list[tuple[str, str]] | None = None,
        hint: str = "",
        required: bool = True,
        **kw: Any,
    ) -> None:
        super().__init__(label, **kw)
        self.choices = list(choices or [])
        self.hint = hint
        self.required = required

    def anchor(self) -> str:
        return f"{self.id}-0"

    def _label_of(self, value: str) -> str:
        return dict(self.choices).get(value, value)


class ChoiceAnswer(ClosedListAnswer):
    """One value from a closed list: radios, or a drop-down when the list is long."""

    def __init__(self, label: str, *, drop_down: bool = False, **kw: Any) -> None:
        super().__init__(label, **kw)
        self.drop_down = drop_down

    def anchor(self) -> str:
        return str(self.id) if self.drop_down else super().anchor()

    def process_formdata(self, valuelist: list[Any]) -> None:
        self.data = str(valuelist[0]) if valuelist else None

    def pre_validate(self, form: Any) -> None:
        self.value = None
        if not self.data:
            if self.required:
                raise StopValidation(Choice.REQUIRED.format(label=self.label_text))
            return
        if self.data not in {value for value, _label in self.choices}:
            raise StopValidation(Choice.INVALID.format(label=self.label_text))
        self.value = self.data


class MultiChoiceAnswer(ClosedListAnswer):
    """Several values from a closed list (checkboxes); the same value twice counts once."""

    multiple = True

    def __init__(self, label: str, **kw: Any) -> None:
        super().__init__(label, **kw)
        self.data: list[str] = []

    def process_formdata(self, valuelist: list[Any]) -> None:
        self.data = [str(v) for v in valuelist]

    def pre_validate(self, form: Any) -> None:
        self.value = ()
        chosen = list(dict.fromkeys(self.data or []))
        allowed = [value for value, _label in self.choices]
        if any(v not in allowed for v in chosen):
            raise StopValidation(Choice.INVALID.format(label=self.label_text))
        if not chosen and self.required:
            raise StopValidation(Choice.REQUIRED_SOME.format(label=self.label_text))
        self.value = tuple(v for v in allowed if v in chosen)
        self.data = list(self.value)


class ConsentAnswer(Answer, BooleanField):
    """An unticked checkbox the person must tick themselves."""

    def __init__(self, label: str, *, message: str, hint: str = "", **kw: Any) -> None:
        super().__init__(label, **kw)
        self.message = message
        self.hint = hint

    def pre_validate(self, form: Any) -> None:
        self.value = bool(self.data)
        if not self.data:
            raise StopValidation(self.message)

    def display(self) -> str:
        return "已同意" if self.value else "未同意"


__all__ = [
    "Answer",
    "ChoiceAnswer",
    "ConsentAnswer",
    "IdNumberAnswer",
    "MultiChoiceAnswer",
    "NameAnswer",
    "NumberAnswer",
    "PhoneAnswer",
    "TextAnswer",
]
