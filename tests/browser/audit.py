"""Accessibility checks run inside the page: labels, headings, landmarks, text contrast (WCAG 2.1 AA)."""

from typing import Any

# Every control a person fills in has a label; headings start at one h1 and never skip a level; the page
# is in Vietnamese and has its landmarks.
STRUCTURE = """() => {
  const problems = [];
  if (document.documentElement.lang !== "vi") problems.push("html lang is not vi");
  for (const control of document.querySelectorAll("input:not([type=hidden]), select, textarea")) {
    const named = control.labels.length > 0 || control.getAttribute("aria-label")
      || control.getAttribute("aria-labelledby");
    if (!named) problems.push(`no label: ${control.outerHTML.slice(0, 80)}`);
  }
  const levels = [...document.querySelectorAll("h1, h2, h3, h4, h5, h6")].map(h => Number(h.tagName[1]));
  if (levels.filter(level => level === 1).length !== 1) problems.push(`h1 count: ${levels}`);
  levels.forEach((level, i) => { if (i > 0 && level > levels[i - 1] + 1) problems.push(`heading skips: ${levels}`); });
  for (const landmark of ["header", "nav", "main", "footer"]) {
    if (!document.querySelector(landmark)) problems.push(`no ${landmark}`);
  }
  return problems;
}"""

# Each visible piece of text against the background it is drawn on: 4.5:1, or 3:1 for large text.
CONTRAST = """() => {
  const parse = colour => {
    const parts = colour.match(/rgba?\\(([^)]+)\\)/)[1].split(",").map(Number.parseFloat);
    return {r: parts[0], g: parts[1], b: parts[2], a: parts.length > 3 ? parts[3] : 1};
  };
  const channel = value => {
    value /= 255;
    return value <= 0.03928 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
  };
  const luminance = c => 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
  const background = element => {
    for (let at = element; at; at = at.parentElement) {
      const colour = parse(getComputedStyle(at).backgroundColor);
      if (colour.a > 0.9) return colour;
    }
    return {r: 255, g: 255, b: 255, a: 1};
  };
  const low = [];
  for (const element of document.querySelectorAll("body *")) {
    const text = [...element.childNodes].some(node => node.nodeType === 3 && node.textContent.trim());
    const box = element.getBoundingClientRect();
    const style = getComputedStyle(element);
    if (!text || box.width <= 1 || box.height <= 1 || style.visibility === "hidden") continue;
    if (!element.checkVisibility()) continue;
    const fore = luminance(parse(style.color)), back = luminance(background(element));
    const ratio = (Math.max(fore, back) + 0.05) / (Math.min(fore, back) + 0.05);
    const size = Number.parseFloat(style.fontSize);
    const large = size >= 24 || (Number.parseInt(style.fontWeight) >= 700 && size >= 18.66);
    const what = `${element.tagName} "${element.textContent.trim().slice(0, 40)}"`;
    if (ratio < (large ? 3 : 4.5)) low.push(`${what} ${ratio.toFixed(2)}:1`);
  }
  return low;
}"""

# What has the keyboard focus, as a person would name it.
FOCUSED = """() => {
  const element = document.activeElement;
  const label = element.labels && element.labels.length ? element.labels[0].innerText : "";
  return (element.getAttribute("aria-label") || label || element.innerText || element.id || "").trim().split("\\n")[0];
}"""


def audit(page: Any) -> list[str]:
    """What is wrong with the page's structure and contrast; empty when nothing is."""
    return [*page.evaluate(STRUCTURE), *page.evaluate(CONTRAST)]


def focused(page: Any) -> str:
    return str(page.evaluate(FOCUSED))


def tab_until(page: Any, name: str, limit: int = 60) -> list[str]:
    """Press Tab until the control named `name` has the focus; the names met on the way."""
    met = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        met.append(focused(page))
        if met[-1].startswith(name):
            return met
    raise AssertionError(f"{name!r} never got the focus by keyboard; met: {met}")
