"""The course catalogue: every course, and one set of pages per filter value (no JavaScript needed)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from markupsafe import Markup

from site_builder.catalog import Base, Catalogue, Course, Unit
from site_builder.catalog import vocabulary as v
from site_builder.render import paths
from site_builder.render.environment import front_matter, render

PAGE_SIZE = 50
ACCEPTING = "accepting"
_STATE_ORDER = {state: number for number, state in enumerate(v.STATES)}


@dataclass(frozen=True)
class Listed:
    """A course as the lists show it: its state on the build date and where it is run."""

    course: Course
    state: str
    unit: Unit
    base: Base


@dataclass(frozen=True)
class Chip:
    label: str
    src: str
    count: int | None
    active: bool


@dataclass(frozen=True)
class Filter:
    """One value of one filter: `state/accepting`, `kind/skills`, `unit/pudong`, `group/...`."""

    dimension: str
    value: str
    label: str

    def accepts(self, item: Listed) -> bool:
        if self.dimension == "state":
            if self.value == ACCEPTING:
                return item.state in (v.OPEN, v.CLOSING_SOON)
            return paths.STATE_SLUGS[item.state] == self.value
        if self.dimension == "kind":
            return item.course.kind == self.value
        if self.dimension == "unit":
            return item.unit.id == self.value
        return self.label in item.course.target_groups


def listed(catalogue: Catalogue, *, today: date) -> list[Listed]:
    """Return every course not withdrawn, those taking sign-ups first, then by start date."""
    items = [
        Listed(
            course=c,
            state=c.state_on(today),
            unit=catalogue.reporting_unit(c.unit),
            base=catalogue.bases[c.base],
        )
        for c in catalogue.courses.values()
        if not c.withdrawn
    ]
    return sorted(
        items, key=lambda i: (_STATE_ORDER[i.state] > 1, i.course.start_date, i.course.id)
    )


def filters(catalogue: Catalogue, items: list[Listed]) -> list[tuple[str, list[Filter]]]:
    """Return the filter groups in the order the page shows them; each value has its own pages.

    Every state, kind, active unit and target group has its address even while its list is
    empty (a stable address answers 200 and says so); chips show only the values in use.
    """
    states = [Filter("state", ACCEPTING, "可报名")]
    states += [Filter("state", paths.STATE_SLUGS[s], s) for s in v.STATES]
    kinds = [Filter("kind", kind, label) for kind, label in v.KINDS.items()]
    used_units = {i.unit.id for i in items}
    units = [
        Filter("unit", u.id, u.label)
        for u in sorted(catalogue.units.values(), key=lambda u: u.type != "district")
        if u.active or u.id in used_units
    ]
    groups = list(
        {
            slug: Filter("group", slug, g)
            for g in v.TARGET_GROUPS
            for slug in [paths.GROUP_SLUGS.get(g, "others")]
        }.values()
    )
    return [("状态", states), ("类别", kinds), ("区县/单位", units), ("招生对象", groups)]


def _chunks(items: list[Listed]) -> list[list[Listed]]:
    return [items[start : start + PAGE_SIZE] for start in range(0, len(items), PAGE_SIZE)] or [[]]


def _chips(
    groups: list[tuple[str, list[Filter]]],
    counts: dict[tuple[str, str], int],
    current: Filter | None,
) -> Iterator[dict[str, object]]:
    yield {
        "label": "全部",
        "chips": [Chip("全部课程", paths.listing(), counts[("", "")], current is None)],
        "folded": False,
    }
    for label, group in groups:
        chips = [
            Chip(
                f.label,
                paths.listing(f.dimension, f.value),
                counts[(f.dimension, f.value)],
                current is not None
                and (f.dimension, f.value) == (current.dimension, current.value),
            )
            for f in group
            if counts[(f.dimension, f.value)] or f.value == ACCEPTING
        ]
        # Long lists (districts, target groups) fold away on a phone; they open by a tap.
        yield {"label": label, "chips": chips, "folded": len(chips) > 6}


def listing_pages(catalogue: Catalogue, *, today: date) -> dict[str, str]:
    """Return every page of the catalogue: all courses, then each filter value, paginated."""
    items = listed(catalogue, today=today)
    groups = filters(catalogue, items)
    selections: list[tuple[Filter | None, list[Listed]]] = [(None, items)]
    for _, group in groups:
        for value in group:
            chosen = [i for i in items if value.accepts(i)]
            if value.value == ACCEPTING:
                chosen.sort(key=lambda i: (i.course.apply_by, i.course.id))
            selections.append((value, chosen))
    counts = {("", ""): len(items)}
    counts.update({(f.dimension, f.value): len(chosen) for f, chosen in selections if f})
    pages: dict[str, str] = {}
    for current, chosen in selections:
        chips = list(_chips(groups, counts, current))
        pages.update(_paginated(current, chosen, chips))
    return pages


def _paginated(
    f: Filter | None, chosen: list[Listed], chips: list[dict[str, object]]
) -> Iterable[tuple[str, str]]:
    chunks = _chunks(chosen)
    dimension, value = (f.dimension, f.value) if f else ("", "")
    heading = f"培训课程:{f.label}" if f else "培训课程"
    for number, chunk in enumerate(chunks, start=1):
        src = paths.listing(dimension, value, number)
        title = heading if number == 1 else f"{heading}(第 {number} 页)"
        body = render(
            "listing.md.j2",
            src=src,
            title=title,
            intro=_intro(f) if number == 1 else "",
            filters=chips,
            items=chunk,
            total=len(chosen),
            number=number,
            pages=len(chunks),
            previous=paths.listing(dimension, value, number - 1) if number > 1 else "",
            next=paths.listing(dimension, value, number + 1) if number < len(chunks) else "",
            open_data=f is None and number == 1,
        )
        yield src, front_matter(title=title, search=False) + body


def _intro(f: Filter | None) -> Markup | str:
    if f is None:
        return Markup(
            "按状态、类别、区县或招生对象挑选课程。点课程名称看详细介绍和报名方法;"
            "标着“可报名”的课程现在就能报名。"
        )
    return ""
