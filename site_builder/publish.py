"""Validate, render, build and publish the site; on any failure the published site stays as it was."""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

from site_builder import (
    docs_folder,
    generator,
    incremental,
    page_memo,
    posters,
    published,
    settings,
    swap,
)
from site_builder.catalog import Catalogue, ContentError, Origin, Problem, load_catalogue, today
from site_builder.render import Site, render_site


def build_and_publish(*, content_dir: Path, site_dir: Path) -> Catalogue:
    """Build `content_dir` into `site_dir`; raise ContentError and leave `site_dir` untouched on failure."""
    site_dir = Path(site_dir).absolute()
    with swap.build_lock(site_dir):
        work = swap.work_dir(site_dir)
        # The search helper loads jieba's dictionary while the content is loaded and rendered.
        with swap.sweeping(work), generator.started_segmenter() as segmenter:
            return _build(Path(content_dir), site_dir=site_dir, work=work, segmenter=segmenter)


def _build(
    content_dir: Path, *, site_dir: Path, work: Path, segmenter: generator.Segmenter
) -> Catalogue:
    # Build from a copy, so a save made while MkDocs runs cannot mix into this site, and the
    # form service can load the very content these pages show (see `published`).
    build_id = published.new_build_id()
    content_dir = published.snapshot(content_dir, work=work, build_id=build_id)
    staging: Path | None = None
    try:
        catalogue = load_catalogue(content_dir)
        site_url = settings.site_url()
        memo = page_memo.load(work)
        site = render_site(catalogue, today=today(), site_url=site_url, memo=memo.page)
        page_memo.save(work, memo)
        made_with = incremental.key(
            site_url=site_url, nav=site.nav, site_name=site.name, day=today().isoformat()
        )
        live = site_dir if incremental.reusable(work, site_dir=site_dir, wanted=made_with) else None
        incremental.forget(work)  # until this build is published, the next one starts afresh
        staging = Path(tempfile.mkdtemp(dir=work, prefix="new-"))
        _generate(site, content_dir=content_dir, work=work, staging=staging, live=live,
                  segmenter=segmenter)  # fmt: skip
        published.write_stamp(staging, build_id=build_id, content=content_dir, work=work)
        previous = swap.publish(staging, site_dir)
        if previous is not None:
            swap.retire(previous, work=work)
    except BaseException:
        published.discard(content_dir, work=work)
        raise
    finally:
        if staging is not None and staging.exists():  # the build failed before it was published
            shutil.rmtree(staging, ignore_errors=True)
    incremental.remember(work, build_id=build_id, made_with=made_with)
    published.prune(work, keep_id=build_id)
    return catalogue


def _generate(
    site: Site,
    *,
    content_dir: Path,
    work: Path,
    staging: Path,
    live: Path | None,
    segmenter: generator.Segmenter,
) -> None:
    """Write the docs tree and run MkDocs into `staging`, QR codes included.

    With `live` (a site built from this docs folder under the same conditions), only the pages
    whose Markdown changed are rendered again, over a copy of `live` (see `incremental`).
    """
    docs = work / "docs"
    synced = docs_folder.sync_changes(site.files, docs_dir=docs)
    site.files.clear()  # on disk now; MkDocs' own pages need the memory more
    previous_index = None
    if live is not None and not synced.fresh and not synced.removed:
        previous_index = generator.read_search_index(live)
        if previous_index is not None:
            incremental.copy_live(live, staging, work=work)
    with posters.drawing(site.qr_codes, cache=work / "qr-cache") as place_qr_codes:
        try:
            generator.build_html(
                docs_dir=docs,
                out_dir=staging,
                nav=site.nav,
                site_name=site.name,
                site_url=settings.site_url(),
                previous_index=previous_index,
                segmenter=segmenter,
            )
        except generator.GeneratorError as exc:
            problems = _problems(exc.messages, site=site, content_dir=content_dir)
            raise ContentError(problems) from None
        place_qr_codes(staging)


_QUOTED = re.compile(r"'([^']+)'")


def _problems(messages: list[str], *, site: Site, content_dir: Path) -> list[Problem]:
    """Point each generator message at the content file it came from, where we can tell."""
    problems = []
    for message in messages:
        quoted = _QUOTED.findall(message)
        origin = next((site.origins[q] for q in quoted if q in site.origins), None)
        text = f"网站生成失败:{message}"
        if origin is None:
            problems.append(Problem("content", 1, text))
            continue
        problems.append(
            Problem(origin.path, _line_of(origin, quoted, content_dir=content_dir), text)
        )
    return problems


def _line_of(origin: Origin, quoted: list[str], *, content_dir: Path) -> int:
    """Return the line in the source file that holds the link a message quotes, if we can find it."""
    path = content_dir.parent / origin.path  # origins read `content/pages/faq.md`
    if not path.is_file():
        return origin.line
    lines = path.read_text(encoding="utf-8").splitlines()
    for target in quoted[1:]:
        for number, line in enumerate(lines, start=1):
            if target in line:
                return number
    return origin.line
