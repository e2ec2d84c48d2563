"""Site builder: the content catalogue, Markdown rendering, the MkDocs build and publishing."""
