"""Our raw HTML blocks are set aside unparsed and come out as Python-Markdown would write them."""

from __future__ import annotations

import markdown

from site_builder.render.rawblocks import MARK, MARK_ELEMENT

EXTENSIONS = ["attr_list", "md_in_html", "tables", "def_list", "toc"]
PORTAL = [*EXTENSIONS, "site_builder.render.rawblocks", "site_builder.render.sanitize"]

STATUS = (
    '<div class="portal-status" data-search-exclude>\n<p>报名中 <strong>40</strong> 人</p>\n</div>'
)
FACTS = "<dl>\n<dt>课时</dt>\n<dd>120 课时</dd>\n</dl>"


def convert(text: str, extensions: list[str]) -> str:
    return markdown.Markdown(extensions=extensions).convert(text)


def test_a_marked_block_comes_out_as_python_markdown_writes_a_raw_block() -> None:
    plain = f"# 课程\n\n{STATUS}\n\n## 课程信息\n\n段落。\n"
    marked = f"# 课程\n\n{MARK}\n{STATUS}\n\n## 课程信息\n\n段落。\n"

    assert convert(marked, [*EXTENSIONS, "site_builder.render.rawblocks"]) == convert(
        plain, EXTENSIONS
    )


def test_an_element_block_comes_out_as_the_markdown_it_stands_for() -> None:
    definition_list = "# 课程\n\n课时\n:   120 课时\n\n## 培训地点\n"
    marked = f"# 课程\n\n{MARK_ELEMENT}\n{FACTS}\n\n## 培训地点\n"

    assert convert(marked, [*EXTENSIONS, "site_builder.render.rawblocks"]) == convert(
        definition_list, EXTENSIONS
    )


def test_a_set_aside_block_is_not_parsed_as_markdown() -> None:
    html = convert(f"{MARK}\n<p>*星号* 和 [方括号](x)</p>\n", PORTAL)

    assert html == "<p>*星号* 和 [方括号](x)</p>"


def test_a_block_with_ids_is_left_to_the_parsers() -> None:
    # MkDocs finds anchors in raw HTML by parsing it: a block with an id is parsed as if
    # unmarked (here md_in_html turns its Markdown into HTML, which a set-aside block keeps).
    block = '<div id="where" markdown>\n**粗**\n</div>\n'

    html = convert(f"{MARK}\n{block}", [*EXTENSIONS, "site_builder.render.rawblocks"])

    assert html == '<div id="where">\n<p><strong>粗</strong></p>\n</div>'


def test_a_marked_block_is_still_sanitised() -> None:
    html = convert(
        f'{MARK}\n<p onclick="steal()"><a href="javascript:alert(1)">链接</a><script>x</script></p>\n',
        PORTAL,
    )

    assert html == "<p><a>链接</a></p>"


def test_text_without_a_mark_is_left_as_it_is() -> None:
    text = "# 标题\n\n<!-- portal:html -->注释后面不是一行\n"

    assert convert(text, [*EXTENSIONS, "site_builder.render.rawblocks"]) == convert(
        text, EXTENSIONS
    )
