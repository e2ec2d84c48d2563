"""The content console's operations: who may edit what, saves with history, publish and preview.

`permissions.py` says which collections, records and inputs a person may touch;
`saves.py` checks and writes one record (edit, new, withdraw, revert), records it in
`content_changes` with its audit record, and commits it to git where `content/` is a work tree;
`history.py` reads that history (diffs, changes since the last publish); `drafts.py` loads the
draft catalogue the console lists; `publishing.py` previews and publishes the site. May import
`accounts/`, `store/` and `site_builder`; never a blueprint, `web/` or `cli/`.
"""
