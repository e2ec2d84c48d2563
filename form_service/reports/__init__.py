"""What staff send upward: the real-name register, the statistics return and their files.

`register.py` builds the 实名制台账 rows, `statistics.py` counts the 统计表 from outcome dates,
`statistics_sheet.py` lays it out as 附件2, and `spreadsheets.py` writes any sheet as XLSX, CSV
or text with formulas defused. Producing a file writes its own audit record. May import
`applications/`, `accounts/`, `store/` and `site_builder.catalog`; never a blueprint, `web/`
or `cli/`.
"""
