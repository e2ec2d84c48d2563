"""The search index's Chinese segmentation, done by a helper process, is the search plugin's own."""

from __future__ import annotations

import contextlib

import pytest
from material.plugins.search.plugin import SearchIndex

from site_builder.segmenting import Segmenter

TEXTS = [
    "计算机操作员(五级)",
    "学刀工、火候、调味和常见家常菜、本帮菜的做法,大部分时间在厨房实训室动手练。",
    "Excel 表格 2011 年",
    "",
]


def test_the_helper_segments_each_text_as_the_search_plugin_does() -> None:
    with contextlib.closing(Segmenter()) as segmenter:
        entries = [
            {"location": f"p{n}/", "title": segmenter.defer(text), "text": segmenter.defer(text)}
            for n, text in enumerate(TEXTS)
        ]
        segmenter.fill(entries)

    expected = [SearchIndex._segment_chinese(None, text) for text in TEXTS]  # type: ignore[arg-type]
    assert entries == [
        {"location": f"p{n}/", "title": words, "text": words} for n, words in enumerate(expected)
    ]
    assert expected[0] == "计算机\u200b操作员\u200b(\u200b五级\u200b)"


def test_a_helper_that_died_fails_the_build() -> None:
    with contextlib.closing(Segmenter()) as segmenter:
        token = segmenter.defer("上海")
        segmenter.process.kill()
        with pytest.raises(RuntimeError, match="segmenting failed"):
            segmenter.fill([{"location": "", "title": token, "text": token}])
