"""Spreadsheet imports: a class list or sign-up sheet, and the results that come back.

`reading.py` reads an uploaded XLSX or CSV (UTF-8 or GB18030) into rows by column name,
`problems.py` names what is wrong as `名单.xlsx 第 12 行 身份证号: …`, `signups.py` turns the
register's own columns into applications and their outcomes, `results.py` matches 鉴定
certificates, jobs and businesses to applications in the unit, and `template.py` writes the
templates staff fill in. Every import is checked whole before anything is stored, stores all or
nothing in one transaction, recognises what is already there (a second run adds nothing) and
writes its own audit record (file SHA-256 and counts), so the console and `portal import` are
one call each. May import `applications/`, `accounts/`, `forms/choices`, `reports/register`
(the column names), `store/` and `site_builder.catalog`; never a blueprint, `web/` or `cli/`.
"""
