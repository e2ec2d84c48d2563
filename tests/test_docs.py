"""The README and docs/ stand alone: they name only files of this repository, and those exist."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = sorted([ROOT / "README.md", ROOT / "deploy" / "README.md", *(ROOT / "docs").glob("*.md")])
# Notes that live outside this repository; the docs must say what they need themselves.
OUTSIDE = ("../shared", "security-and-reliability", "performance-baselines", "domain.md",
           "toolchain.md", "anchors-features", "model-codebases", "DEVELOPERS", "ARCHITECTURE.md",
           "STYLE.md")  # fmt: skip
PREFIXES = ("tests/", "form_service/", "site_builder/", "deploy/", "bench/", "docs/", "content/")
PLACEHOLDERS = ("<", "*", "…")
# Written by test and benchmark runs (gitignored): named in the docs, absent from a fresh clone.
GENERATED = ("tests/artifacts/", "bench/results/")
CODE = re.compile(r"`([^`\n]+)`")
LINK = re.compile(r"\]\(([^)\s]+)\)")
MODULE = re.compile(r"\b((?:form_service|site_builder)(?:\.\w+)+)")


def _name(doc: Path) -> str:
    return str(doc.relative_to(ROOT))


def _paths(text: str) -> set[str]:
    """Return the repository paths named in backticks: `path`, `path: name`, `path::test`."""
    found = set()
    for span in CODE.findall(text):
        word = span.split()[0].split("::")[0].rstrip(":,;.")
        word = re.sub(r":\d+(:.*)?$", "", word)  # `content/x.yaml:12: message` names the file
        if word.startswith(GENERATED) or any(p in word for p in PLACEHOLDERS):
            continue
        if word.startswith(PREFIXES):
            found.add(word)
    return found


def _bare_files(text: str) -> set[str]:
    """Return the file names named in backticks without a folder: `generator.py`, `wsgi.py`."""
    spans = (span.split()[0].rstrip(":,;.") for span in CODE.findall(text))
    return {span for span in spans if re.fullmatch(r"[\w.-]+\.py", span)}


def _missing_module(dotted: str) -> bool:
    """Tell whether `a.b.c` (or `a.b:c`) names no module, or a module and one name in it."""
    parts = dotted.split(":")[0].split(".")
    for cut in range(len(parts), 0, -1):
        base = ROOT.joinpath(*parts[:cut])
        if base.with_suffix(".py").is_file() or (base / "__init__.py").is_file():
            return len(parts) - cut > 1
    return True


def test_the_docs_are_found() -> None:
    assert {_name(d) for d in DOCS} >= {
        "README.md",
        "deploy/README.md",
        "docs/architecture.md",
        "docs/promises.md",
        "docs/forms.md",
        "docs/benchmarks.md",
        "docs/content-guide.md",
    }


@pytest.mark.parametrize("doc", DOCS, ids=_name)
def test_no_doc_points_outside_the_repository(doc: Path) -> None:
    text = doc.read_text(encoding="utf-8")
    assert [name for name in OUTSIDE if name in text] == []


@pytest.mark.parametrize("doc", DOCS, ids=_name)
def test_every_path_named_in_a_doc_exists(doc: Path) -> None:
    text = doc.read_text(encoding="utf-8")
    missing = sorted(p for p in _paths(text) if not (ROOT / p.rstrip("/")).exists())
    assert missing == []


@pytest.mark.parametrize("doc", DOCS, ids=_name)
def test_every_file_named_without_its_folder_exists_somewhere(doc: Path) -> None:
    ours = {p.name for top in PREFIXES for p in (ROOT / top).rglob("*.py")}
    assert sorted(_bare_files(doc.read_text(encoding="utf-8")) - ours) == []


@pytest.mark.parametrize("doc", DOCS, ids=_name)
def test_every_relative_link_lands_on_a_file(doc: Path) -> None:
    text = doc.read_text(encoding="utf-8")
    targets = [t.split("#")[0] for t in LINK.findall(text)]
    local = [t for t in targets if t and not re.match(r"[a-z]+:", t)]
    assert [t for t in local if not (doc.parent / t).exists()] == []


@pytest.mark.parametrize("doc", DOCS, ids=_name)
def test_every_module_named_in_a_doc_exists(doc: Path) -> None:
    text = doc.read_text(encoding="utf-8")
    assert sorted({m for m in MODULE.findall(text) if _missing_module(m)}) == []


def test_the_checks_catch_what_they_are_for() -> None:
    text = (
        "`tests/forms/test_app.py`, `form_service/stats.py: counts`, "
        "`tests/reliability/test_crash.py::test_x`, `content/courses/x.yaml:12: 开课日期`, "
        "`tests/form_service/<area>/`, `content/*.yaml`, `deploy/`"
    )
    assert _paths(text) == {
        "tests/forms/test_app.py",
        "form_service/stats.py",
        "tests/reliability/test_crash.py",
        "content/courses/x.yaml",
        "deploy/",
    }
    assert _bare_files("the `portal` command (`cli.py`), `generator.py:` `a/b.py`") == {
        "cli.py",
        "generator.py",
    }
    assert [_missing_module(m) for m in MODULE.findall(
        "form_service.crypto.IdentityCipher form_service.store.crypto.IdentityCipher "
        "form_service.wsgi:app site_builder.catalog.today"
    )] == [True, False, False, False]  # fmt: skip
