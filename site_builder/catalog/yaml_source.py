"""Read a YAML file into plain values that remember their line, keeping every scalar a string.

Implicit typing is what turns `0571` into 571 and `no` into False, so we never construct Python
objects with PyYAML's resolvers: we compose the node tree (libyaml when available) and keep each
scalar's text as written.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_NULLS = {"", "~", "null", "Null", "NULL"}
# libyaml's wording of the mistakes staff make most, in words they can act on.
_PLAIN_PROBLEMS = {
    "did not find expected ',' or ']'": "方括号列表 [ ] 没有写完整,缺少逗号或右括号 ]",
    "did not find expected ',' or '}'": "花括号 { } 没有写完整,缺少逗号或右括号 }",
    "did not find expected key": "缩进不一致,或上一行缺少冒号",
    "could not find expected ':'": "缺少冒号 “:”(键和值之间要有英文冒号和空格)",
    "mapping values are not allowed here": "这里不能出现冒号;值里有冒号时请给整个值加英文引号",
    "mapping values are not allowed in this context": "这里不能出现冒号;值里有冒号时请给整个值加英文引号",
    "found character '\\t' that cannot start any token": "不能用 Tab 键缩进,请改用空格",
    "found a tab character that violates indentation": "不能用 Tab 键缩进,请改用空格",
    "found unexpected end of stream": "引号没有成对(缺少结束的引号)",
    "did not find expected '-' indicator": "列表项的缩进不一致",
}


@dataclass(frozen=True)
class Located:
    """A value (str, None, list[Located] or dict[str, Located]) and the 1-based line it starts on."""

    value: Any
    line: int


class YamlProblem(Exception):
    """A file that cannot be read as YAML; carries the line and a Chinese message."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def read_yaml(path: Path, *, text: str | None = None) -> Located | None:
    """Parse one YAML file (or `text` given for it); raise YamlProblem for syntax errors and
    duplicate keys."""
    try:
        if text is None:
            text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise YamlProblem(1, f"文件不是 UTF-8 编码({exc.reason})") from exc
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        problem = str(exc.problem or exc.context)
        raise YamlProblem(line, f"YAML 语法错误:{_PLAIN_PROBLEMS.get(problem, problem)}") from exc
    except yaml.YAMLError as exc:
        raise YamlProblem(1, f"YAML 语法错误:{exc}") from exc
    return None if node is None else _convert(node)


def _convert(node: yaml.Node) -> Located:
    line = node.start_mark.line + 1
    if isinstance(node, yaml.ScalarNode):
        if node.style is None and node.value in _NULLS:
            return Located(None, line)
        return Located(node.value, line)
    if isinstance(node, yaml.SequenceNode):
        return Located([_convert(item) for item in node.value], line)
    mapping: dict[str, Located] = {}
    for key_node, value_node in node.value:
        key_line = key_node.start_mark.line + 1
        if not isinstance(key_node, yaml.ScalarNode):
            raise YamlProblem(key_line, "键必须是文字")
        key = key_node.value
        if key in mapping:
            raise YamlProblem(key_line, f'键 "{key}" 重复')
        value = _convert(value_node)
        # A key's value is reported on the key's line: that is where staff look.
        mapping[key] = Located(value.value, key_line) if value.line != key_line else value
    return Located(mapping, line)
