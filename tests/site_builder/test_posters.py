"""QR codes are drawn once per URL, on another core when there are many, and old ones dropped."""

from __future__ import annotations

from pathlib import Path

import pytest

from site_builder import posters
from site_builder.render.qr import qr_svg

URLS = {
    f"courses/c0{n}/qr.svg": f"https://jineng.example.org.cn/courses/c0{n}/" for n in range(1, 4)
}


@pytest.mark.parametrize("background_from", [1, 100], ids=["second process", "in process"])
def test_codes_are_drawn_cached_and_placed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, background_from: int
) -> None:
    monkeypatch.setattr(posters, "BACKGROUND_FROM", background_from)
    cache, site = tmp_path / "cache", tmp_path / "site"
    with posters.drawing(URLS, cache=cache) as place:
        place(site)
    for path, url in URLS.items():
        assert (site / path).read_text(encoding="utf-8") == qr_svg(url)
    assert len(list(cache.glob("*.svg"))) == 3

    kept = dict(list(URLS.items())[:2])
    with posters.drawing(kept, cache=cache) as place:
        place(tmp_path / "again")
    assert sorted(
        p.relative_to(tmp_path / "again").as_posix() for p in (tmp_path / "again").rglob("*.svg")
    ) == sorted(kept)
    assert len(list(cache.glob("*.svg"))) == 2  # the code nobody uses any more is dropped
