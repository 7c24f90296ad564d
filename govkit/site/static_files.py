"""Files copied from the docs folder as they are, made safe by allowlist before they reach the
site: `.html` pages through the page sanitizer (with the policy), `.svg` images rebuilt from
the SVG elements and attributes charts and diagrams use, `.css` stylesheets without `@import`
and without any URL that is not relative or `data:`. Each returns the new text and what it
removed, in words."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from govkit.site import csp, urls
from govkit.site.removed import removed

SVG_NS = "http://www.w3.org/2000/svg"
SVG_TAGS = {"svg", "g", "path", "rect", "circle", "ellipse", "line", "polyline", "polygon",
            "text", "tspan", "title", "desc", "defs", "marker", "linearGradient",
            "radialGradient", "stop", "clipPath"}
SVG_ATTRIBUTES = {
    "aria-label", "class", "clip-path", "cx", "cy", "d", "dominant-baseline", "dx", "dy",
    "fill", "fill-opacity", "font-family", "font-size", "font-style", "font-weight",
    "gradientTransform", "gradientUnits", "height", "id", "marker-end", "marker-mid",
    "marker-start", "markerHeight", "markerUnits", "markerWidth", "offset", "opacity",
    "orient", "points", "preserveAspectRatio", "r", "refX", "refY", "role", "rx", "ry",
    "stop-color", "stop-opacity", "stroke", "stroke-dasharray", "stroke-linecap",
    "stroke-linejoin", "stroke-opacity", "stroke-width", "text-anchor", "transform",
    "version", "viewBox", "width", "x", "x1", "x2", "y", "y1", "y2",
}
_LOCAL_REF = re.compile(r"url\(#[A-Za-z0-9_.:-]+\)")
_TRANSFORM = re.compile(r"(\s*(matrix|translate|scale|rotate|skewX|skewY)\([0-9eE.,\s+-]*\))+\s*")
ET.register_namespace("", SVG_NS)


def html_page(text: str) -> tuple[str, list[str]]:
    from govkit.site.sanitize import sanitize

    body = sanitize(text)
    page = f'<!doctype html>\n<html><head><meta charset="utf-8">{csp.meta(csp.policy(""))}' \
           f"</head><body>\n{body}\n</body></html>\n"
    return page, removed(text, body)


def svg(text: str) -> tuple[str, list[str]]:
    if re.search(r"<!(DOCTYPE|ENTITY)", text, re.I):
        return _EMPTY_SVG, ["removed the image (a DTD)"]
    try:
        root = ET.fromstring(text)
    except ET.ParseError:
        return _EMPTY_SVG, ["removed the image (not well-formed XML)"]
    gone: list[str] = []
    if root.tag != f"{{{SVG_NS}}}svg":
        return _EMPTY_SVG, [f"removed the image (root <{root.tag}>)"]
    _clean(root, gone)
    out = ET.tostring(root, encoding="unicode") + "\n"
    counts: dict[str, int] = {}
    for what in gone:
        counts[what] = counts.get(what, 0) + 1
    return out, [f"removed {w} ({n})" for w, n in sorted(counts.items())]


_EMPTY_SVG = f'<svg xmlns="{SVG_NS}"/>\n'


def _clean(element: ET.Element, gone: list[str]) -> None:
    for name, value in list(element.attrib.items()):
        if name not in SVG_ATTRIBUTES or ("(" in value and not _LOCAL_REF.fullmatch(value)
                                          and not (name == "transform"
                                                   and _TRANSFORM.fullmatch(value))):
            del element.attrib[name]
            gone.append(f"{_local(name)}=")
    for child in list(element):
        tag = child.tag if isinstance(child.tag, str) else ""
        if not tag.startswith(f"{{{SVG_NS}}}") or _local(tag) not in SVG_TAGS:
            element.remove(child)
            gone.append(f"<{_local(tag) or 'comment'}>")
        else:
            _clean(child, gone)


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1]


_COMMENT = re.compile(r"/\*.*?(\*/|$)", re.S)
_ESCAPE = re.compile(r"\\([0-9a-fA-F]{1,6})[ \t\n\r\f]?|\\(.)", re.S)
_URL = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*\)|(['\"])(.*?)\3", re.S | re.I)


def _unescape(css: str) -> str:
    def one(match: re.Match[str]) -> str:
        if match[1]:
            code = int(match[1], 16)
            return chr(code) if 0 < code <= 0x10FFFF else "\ufffd"
        return match[2]
    return _ESCAPE.sub(one, css)


def css(text: str) -> tuple[str, list[str]]:
    """Statements (`…;`, `…{`, `}`) whose unescaped text has `@import`, or a URL or string
    that is not relative or `data:`, are removed."""
    text = _COMMENT.sub("", text)
    kept, gone = [], []
    for statement in re.findall(r"[^;{}]*[;{}]|[^;{}]+$", text):
        plain = _unescape(statement)
        targets = [m[2] if m[2] or m[1] else m[4] for m in _URL.finditer(plain)]
        if "@import" in plain.lower() or not all(urls.is_local(t) for t in targets if t):
            gone.append(statement.strip())
            kept.append(";" if statement.endswith(";") else statement[-1:]
                        if statement.endswith(("{", "}")) else "")
        else:
            kept.append(statement)
    return "".join(kept), [f"removed `{g[:60]}`" for g in gone]
