"""Checks run inside a page: axe-core, touch-target sizes, field labels, sideways scrolling."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from tests.support.browser import ARTIFACTS

BLOCKING = ("serious", "critical")
MIN_TARGET = 44  # CSS pixels, both ways (WCAG 2.5.5; the 适老化 guidelines ask for the same)

# Every interactive element a finger may aim at.
_TARGETS_JS = """
(minimum) => {
  const SELECTOR = 'a[href], button, input:not([type=hidden]), select, textarea, summary, ' +
    '[role=button], label[for]';
  const isInline = (el) => getComputedStyle(el).display === 'inline';
  const blockOf = (el) => {
    let node = el.parentElement;
    while (node && isInline(node)) node = node.parentElement;
    return node;
  };
  const transparent = (el) => {
    for (let node = el; node; node = node.parentElement) {
      if (getComputedStyle(node).opacity === '0') return true;
    }
    return false;
  };
  const words = (el) => (el.textContent || '').replace(/\\s+/g, '');
  const problems = [];
  for (const el of document.querySelectorAll(SELECTOR)) {
    // Skip links appear on focus; honeypots and hidden parts are never shown.
    if (el.closest('[aria-hidden=true], [hidden], .hp, .md-skip, .skip-link')) continue;
    const style = getComputedStyle(el);
    if (style.display === 'none' || style.visibility === 'hidden') continue;
    if (style.pointerEvents === 'none' || transparent(el)) continue;  // not there to be hit
    let box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    if (box.right <= 0 || box.left >= innerWidth) continue;  // an off-canvas drawer
    if (el.matches('label[for]')) {
      // A label is a target of its own only for a hidden toggle (the theme's menu buttons);
      // a visible box is measured together with its label below.
      const control = document.getElementById(el.htmlFor);
      if (!control || getComputedStyle(control).display !== 'none') continue;
    }
    if (el.matches('input[type=radio], input[type=checkbox]')) {
      // The box and its label together are what a finger hits.
      let left = box.left, top = box.top, right = box.right, bottom = box.bottom;
      for (const label of el.labels || []) {
        const r = label.getBoundingClientRect();
        left = Math.min(left, r.left); top = Math.min(top, r.top);
        right = Math.max(right, r.right); bottom = Math.max(bottom, r.bottom);
      }
      box = {width: right - left, height: bottom - top};
    }
    // A link inside a sentence may be as tall as the sentence (the WCAG inline exception).
    if (el.matches('a') && isInline(el)) {
      const block = blockOf(el);
      if (block && words(block).length > words(el).length) continue;
    }
    if (box.width < minimum - 0.5 || box.height < minimum - 0.5) {
      problems.push(
        `${el.outerHTML.slice(0, 90)} is ${Math.round(box.width)}×${Math.round(box.height)}`
      );
    }
  }
  return problems;
}
"""

_UNLABELLED_JS = """
() => Array.from(document.querySelectorAll('input, select, textarea'))
  .filter((el) => el.type !== 'hidden' && !el.closest('[aria-hidden=true]'))
  .filter((el) => el.getClientRects().length > 0)  // not rendered: not in the accessibility tree
  .filter((el) => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
                  && !el.getAttribute('aria-labelledby'))
  .map((el) => el.outerHTML.slice(0, 120))
"""

_SIDEWAYS_JS = """
() => {
  const root = document.scrollingElement || document.documentElement;
  return root.scrollWidth - root.clientWidth;
}
"""


def run_axe(page: Any, axe_source: str) -> list[dict[str, Any]]:
    """Run axe-core in the page; return its violations (every impact)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=axe_source)
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return list(result["violations"])


def small_targets(page: Any) -> list[str]:
    return list(page.evaluate(_TARGETS_JS, MIN_TARGET))


def unlabelled_fields(page: Any) -> list[str]:
    return list(page.evaluate(_UNLABELLED_JS))


def sideways_overflow(page: Any) -> int:
    """Return how many CSS pixels the page scrolls sideways (0 when it reflows)."""
    return int(page.evaluate(_SIDEWAYS_JS))


class AxeLog:
    """Collects axe results per page type for the closing note (tests/artifacts/browser/)."""

    def __init__(self) -> None:
        self.pages: dict[str, dict[str, Any]] = {}

    def add(self, kind: str, path: str, violations: list[dict[str, Any]]) -> None:
        impacts = Counter(str(v["impact"]) for v in violations)
        self.pages[kind] = {
            "path": path,
            "by_impact": dict(sorted(impacts.items())),
            "rules": sorted(f"{v['impact']}:{v['id']}" for v in violations),
        }

    def write(self, path: Path = ARTIFACTS / "axe-summary.json") -> None:
        if not self.pages:
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        existing = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
        existing.update(self.pages)
        path.write_text(json.dumps(existing, ensure_ascii=False, indent=2), encoding="utf-8")


def blocking(violations: list[dict[str, Any]]) -> list[str]:
    """Describe the serious and critical violations, one line each."""
    return [
        f"{v['impact']} {v['id']}: {v['help']} at {[n['target'] for n in v['nodes'][:3]]}"
        for v in violations
        if v["impact"] in BLOCKING
    ]
