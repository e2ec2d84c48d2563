"""Editing content files from the console: round-trip YAML, one record at a time, checked whole.

Pure file work, no web and no store: `documents` (read/write YAML keeping comments and layout,
atomic rewrite, version tokens), `collections` (what can be edited and where each record is),
`formfields` (the form generated from the field table, form ↔ YAML values), `checking` (the
whole-catalogue check of a candidate file, problems pointed at fields) and `changes` (a save or
a withdrawal prepared without writing: stale, refused, unchanged or ready).
"""
