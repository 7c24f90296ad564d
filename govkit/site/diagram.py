"""An architecture's data flow as a small SVG, drawn at build time (nothing fetched at view
time). Deterministic: components in layers by the longest flow path reaching them."""

from __future__ import annotations

from govkit.schemas.architecture import System

BOX_W, BOX_H, GAP_X, GAP_Y, PAD = 190, 58, 130, 40, 20
COLOURS = {
    "data-source": "#eceff1", "orchestration": "#e3f2fd", "feature-store": "#e8f5e9",
    "model-registry": "#fff3e0", "experiment-tracking": "#f3e5f5", "serving": "#fce4ec",
    "monitoring": "#fffde7", "other": "#f5f5f5",
}


def _layers(system: System) -> dict[str, int]:
    """Longest path from a component nothing flows into; a cycle's edges back are ignored."""
    names = [c.name for c in system.components]
    incoming: dict[str, set[str]] = {n: set() for n in names}
    for f in system.flows:
        if f.source != f.target:
            incoming[f.target].add(f.source)
    layer: dict[str, int] = {}
    pending = list(names)
    while pending:
        ready = [n for n in pending if incoming[n] <= layer.keys()]
        if not ready:  # a cycle: place the first waiting component after what is known
            ready = [pending[0]]
        for n in ready:
            layer[n] = 1 + max((layer[p] for p in incoming[n] if p in layer), default=-1)
            pending.remove(n)
    return layer


def escape(text: str) -> str:
    """XML character data, as `xml.sax.saxutils.escape` writes it: that module imports
    urllib.request, http.client and ssl (~15 ms of every build, issue 26)."""
    return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


def _text(value: str, limit: int) -> str:
    value = " ".join(value.split())
    return escape(value if len(value) <= limit else value[: limit - 1] + "…")


def flow_svg(system: System) -> bytes:
    layer = _layers(system)
    rows: dict[int, int] = {}
    pos: dict[str, tuple[int, int]] = {}
    for c in system.components:
        row = rows.get(layer[c.name], 0)
        rows[layer[c.name]] = row + 1
        pos[c.name] = (PAD + layer[c.name] * (BOX_W + GAP_X), PAD + row * (BOX_H + GAP_Y))
    width = PAD * 2 + (max(layer.values()) + 1) * (BOX_W + GAP_X) - GAP_X
    height = PAD * 2 + max(rows.values()) * (BOX_H + GAP_Y) - GAP_Y + 40
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
           f'width="{width}" height="{height}" font-family="sans-serif" font-size="13">',
           '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" '
           'markerHeight="8" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" '
           'fill="#455a64"/></marker></defs>']
    detours = 0
    for f in system.flows:
        adjacent = layer[f.target] == layer[f.source] + 1
        out.append(_edge(pos[f.source], pos[f.target], f.data, None if adjacent else detours))
        detours += 0 if adjacent else 1
    for c in system.components:
        x, y = pos[c.name]
        out.append(f'<rect x="{x}" y="{y}" width="{BOX_W}" height="{BOX_H}" rx="6" '
                   f'fill="{COLOURS[c.kind]}" stroke="#455a64"/>')
        out.append(f'<text x="{x + BOX_W // 2}" y="{y + 24}" text-anchor="middle" '
                   f'font-weight="bold">{_text(c.name, 26)}</text>')
        sub = c.tool or c.kind
        out.append(f'<text x="{x + BOX_W // 2}" y="{y + 44}" text-anchor="middle" '
                   f'fill="#37474f">{_text(sub, 30)}</text>')
    out.append("</svg>")
    return ("\n".join(out) + "\n").encode("utf-8")


def _edge(
    a: tuple[int, int], b: tuple[int, int], data: str | None, detour: int | None
) -> str:
    """A flow to the next layer runs straight across; any other (skipping layers, back, or
    within a layer) leaves a box's bottom and runs in the gap below, each a little lower."""
    (ax, ay), (bx, by) = a, b
    if detour is None:
        x1, y1, x2, y2 = ax + BOX_W, ay + BOX_H // 2, bx, by + BOX_H // 2
        path = f"M {x1} {y1} C {x1 + GAP_X // 2} {y1} {x2 - GAP_X // 2} {y2} {x2} {y2}"
        lx, ly, anchor = (x1 + x2) // 2, (y1 + y2) // 2 - 6, "middle"
    else:
        x1, y1, x2, y2 = ax + BOX_W // 2, ay + BOX_H, bx + BOX_W // 2, by + BOX_H
        low = max(y1, y2) + GAP_Y // 2 + 6 * (detour % 3)
        path = f"M {x1} {y1} L {x1} {low} L {x2} {low} L {x2} {y2}"
        right = x2 >= x1
        lx, ly, anchor = x1 + (6 if right else -6), low - 3, "start" if right else "end"
    label = (f'<text x="{lx}" y="{ly}" text-anchor="{anchor}" font-size="11" fill="#455a64">'
             f"{_text(data, 22)}</text>") if data else ""
    return (f'<path d="{path}" fill="none" stroke="#455a64" stroke-width="1.5" '
            f'marker-end="url(#arrow)"/>{label}')
