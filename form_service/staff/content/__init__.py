"""The content console under /staff/content/: listings edited in the browser, history, publish.

`common.py` finds what a request may touch (collections, records, inputs: from the catalogue
and the files, never a path from the request); `editor.py` lists, edits, creates and withdraws;
`versions.py` shows history and reverts; `publishing.py` previews and publishes. Views only:
the work is done by `form_service.content`.
"""

from form_service.staff.content import editor, publishing, versions  # noqa: F401  (routes)
