"""A Python-Markdown extension that sets our own raw HTML blocks aside without parsing them.

Python-Markdown finds a raw HTML block by running Python's HTML parser over the whole page,
and MkDocs runs it once more to collect the ids anchors may point at: with the course cards,
status boxes and filter links our pages carry, that was most of MkDocs' Markdown time. The
templates mark each block they write as HTML with `MARK` on the line before it; the block runs
to the next blank line and is stashed as it is, exactly as Python-Markdown stashes a raw block
it parsed. A block marked `MARK_ELEMENT` stands for what Markdown itself would have written
from Markdown syntax (a definition list), so it is not followed by the blank line Markdown
leaves after raw HTML. Either still goes through the sanitiser with the rest of the page.
"""

from __future__ import annotations

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor

MARK = "<!-- portal:html -->"
MARK_ELEMENT = "<!-- portal:html element -->"


class _SetAside(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        if MARK not in lines and MARK_ELEMENT not in lines:
            return lines
        out: list[str] = []
        start = 0
        for mark, line in enumerate(lines):
            if line != MARK and line != MARK_ELEMENT:
                continue
            if mark < start:  # a marker inside the block just set aside is part of it
                continue
            end = mark + 1
            while end < len(lines) and lines[end].strip():
                end += 1
            out += lines[start:mark]
            block = lines[mark + 1 : end]
            if any(" id=" in text for text in block):
                # MkDocs checks links to anchors against the ids it parses out of raw HTML:
                # a block with ids is left to the parsers.
                out += block
            else:
                # A raw block is stored with the newline that ends its last line, as
                # Python-Markdown stores one.
                html = "\n".join(block) + ("\n" if line == MARK else "")
                out += ["", self.md.htmlStash.store(html), ""]
            start = end
        return out + lines[start:]


class RawBlocksExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Markdown's API name)
        # Priority 25: after whitespace is normalised (30), before MkDocs collects the ids of
        # raw HTML (21) and Python-Markdown parses it (20).
        md.preprocessors.register(_SetAside(md), "portal_raw_blocks", 25)


def makeExtension(**kwargs: object) -> RawBlocksExtension:  # noqa: N802 (Markdown's API name)
    return RawBlocksExtension(**kwargs)
