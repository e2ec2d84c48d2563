"""Reading the console's forms: each answer checked against its closed list, Chinese messages.

Every reader returns the value or adds `(field, message)` to `errors`, so a page can show the
whole error summary at once. Fields that a form does not name are ignored, never stored.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from datetime import date

from form_service.applications.identity import has_invisible

Errors = list[tuple[str, str]]


def text(
    form: Mapping[str, str],
    key: str,
    label: str,
    errors: Errors,
    *,
    limit: int,
    required: bool = False,
) -> str:
    value = unicodedata.normalize("NFC", form.get(key, "")).strip()
    if has_invisible(value, allow_newlines=True):
        errors.append((key, f"{label}中有看不见的字符或控制字符,请删除后重新输入"))
        return ""
    if required and not value:
        errors.append((key, f"请填写{label}"))
    elif len(value) > limit:
        errors.append((key, f"{label}不能超过 {limit} 个字"))
        return ""
    return value


def day(
    form: Mapping[str, str],
    key: str,
    label: str,
    errors: Errors,
    *,
    latest: date | None = None,
    required: bool = True,
) -> date | None:
    raw = unicodedata.normalize("NFKC", form.get(key, "")).strip()
    if _blank(raw, key, errors, missing=f"请填写{label},例如 2011-08-31" if required else ""):
        return None
    try:
        value = (
            date.fromisoformat(raw) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw, re.ASCII) else None
        )
    except ValueError:
        value = None
    if value is None:
        errors.append((key, f"{label}不是有效日期,请按 2011-08-31 的格式填写"))
        return None
    if value.year < 2000:
        errors.append((key, f"{label}太早了,请核对"))
        return None
    if latest is not None and value > latest:
        errors.append((key, f"{label}不能晚于今天({latest.isoformat()})"))
        return None
    return value


def count(
    form: Mapping[str, str],
    key: str,
    label: str,
    errors: Errors,
    *,
    high: int,
    required: bool = True,
) -> int | None:
    raw = unicodedata.normalize("NFKC", form.get(key, "")).strip().replace(",", "")
    if _blank(raw, key, errors, missing=f"请填写{label}" if required else ""):
        return None
    if not re.fullmatch(r"\d{1,9}", raw, re.ASCII):
        errors.append((key, f"{label}请填写 0 或正整数"))
        return None
    if int(raw) > high:
        errors.append((key, f"{label}应在 0 到 {high} 之间"))
        return None
    return int(raw)


def choice(
    form: Mapping[str, str],
    key: str,
    label: str,
    errors: Errors,
    *,
    allowed: Iterable[str],
    required: bool = True,
) -> str:
    value = form.get(key, "")
    if _blank(value, key, errors, missing=f"请选择{label}" if required else ""):
        return ""
    if value not in set(allowed):
        errors.append((key, f"请从列表中选择{label}"))
        return ""
    return value


def _blank(raw: str, key: str, errors: Errors, *, missing: str) -> bool:
    """Say whether nothing was given; note `missing` (when there is one) against `key`."""
    if not raw and missing:
        errors.append((key, missing))
    return not raw


CONTRACT_TERMS = {"fixed": "固定期限", "open_ended": "无固定期限"}


def contract_term(form: Mapping[str, str], errors: Errors) -> tuple[int | None, bool]:
    """Read a job's contract term: (months, False) for a fixed term, (None, True) open-ended."""
    kind = choice(form, "contract_term", "劳动合同期限", errors, allowed=CONTRACT_TERMS)
    if kind == "open_ended":
        return None, True
    if kind == "fixed":
        return count(form, "contract_months", "劳动合同期限(月)", errors, high=600), False
    return None, False
