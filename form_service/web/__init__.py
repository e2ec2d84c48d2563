"""The web plumbing every blueprint shares, and the one accessor for the app's services.

`services.py` sets up and hands out the catalogue, the store and the cipher; `errors.py`,
`headers.py`, `limits.py` and `chunked.py` guard requests; `display.py` and `large_text.py`
help templates; `site_files.py` serves the built site. May import `applications/` (for the
cipher), `store/`, `settings`, `messages` and `site_builder`; never a blueprint or `cli/`.
"""
