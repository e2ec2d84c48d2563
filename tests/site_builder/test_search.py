"""Chinese search finds words inside titles: the index is segmented by jieba at build time."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jieba

from site_builder.catalog import Catalogue


def _index(site: Path) -> dict:
    return json.loads((site / "search/search_index.json").read_text(encoding="utf-8"))


def test_index_is_chinese_with_a_zero_width_separator(built_site: Path) -> None:
    config = _index(built_site)["config"]
    assert "\\u200b" in config["separator"]
    assert re.split(config["separator"], "中式\u200b烹调师") == ["中式", "烹调师"]


def test_a_word_from_the_middle_of_a_title_is_its_own_token(
    built_site: Path, catalogue: Catalogue
) -> None:
    index = _index(built_site)
    separator = re.compile(index["config"]["separator"])
    titles = {doc["location"]: doc["title"] for doc in index["docs"]}
    checked = 0
    for c in catalogue.courses.values():
        tokens = [t for t in separator.split(titles[f"courses/{c.id}/"]) if t]
        words = [w for w in jieba.cut(c.title) if re.fullmatch(r"[\u4e00-\u9fff]{2,}", w)]
        middle = [w for w in words if not c.title.startswith(w) and w != c.title]
        for word in middle:
            assert word in tokens, (c.title, word, tokens)
            checked += 1
    assert checked >= len(catalogue.courses) // 2


def test_known_word_is_searchable(built_site: Path, catalogue: Catalogue) -> None:
    """`烹调师` sits in the middle of `中式烹调师(五级)全日制班`, and is indexed as a word."""
    titles = {doc["location"]: doc["title"] for doc in _index(built_site)["docs"]}
    cooking = [
        c
        for c in catalogue.courses.values()
        if "烹调师" in c.title and not c.title.startswith("烹调师")
    ]
    assert cooking, "the sample content has a cookery course"
    for c in cooking:
        assert "\u200b烹调师\u200b" in titles[f"courses/{c.id}/"]


def test_listing_pages_stay_out_of_the_index(built_site: Path) -> None:
    locations = [doc["location"] for doc in _index(built_site)["docs"]]
    assert not [loc for loc in locations if loc.startswith("courses/by/") or loc == "courses/"]
