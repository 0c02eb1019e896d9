"""Small SVG charts drawn on the server: payments per hour, and how the takings were funded.

Plain SVG text with presentation attributes and CSS classes (styled in terminal.css), so they pass
the strict CSP (no inline style, no script), print, and scale to any screen. Labels are numbers and
hours; the words around a chart (its caption, the legend) are in the page, translated.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape

WIDTH, HEIGHT = 720, 240
LEFT, BOTTOM, TOP = 72, 34, 14


def _nice_top(value: int) -> int:
    """A round number at or above ``value`` for the top of the axis (1, 2, 5 x 10^n)."""
    if value <= 0:
        return 1
    step = 1
    while True:
        for m in (1, 2, 5):
            if m * step >= value:
                return m * step
        step *= 10


def hours_chart(hours: Sequence[dict], *, label: Callable[[int], str], axis: Callable[[int], str], title: str) -> str:
    """A bar per hour of the day (0-23): height = takings; each bar's tooltip gives count and amount.

    :param label: an amount in full (tooltips);  :param axis: the short form on the axis (no symbol).
    """
    top = _nice_top(max((int(h["gross"]) for h in hours), default=0))
    plot_w, plot_h = WIDTH - LEFT - 8, HEIGHT - BOTTOM - TOP
    slot = plot_w / 24
    parts = [f'<svg class="chart hours" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(title)}" '
             f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>']
    for i in range(5):  # grid lines and the axis labels at 0, 1/4 ... top
        y = TOP + plot_h - plot_h * i / 4
        parts.append(f'<line class="grid" x1="{LEFT}" x2="{WIDTH - 8}" y1="{y:.1f}" y2="{y:.1f}"/>')
        parts.append(f'<text class="axis" x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">'
                     f'{escape(axis(top * i // 4))}</text>')
    for h in hours:
        x = LEFT + slot * int(h["hour"])
        height = plot_h * int(h["gross"]) / top
        if h["count"]:
            tip = f'{int(h["hour"]):02d}:00 · {h["count"]} · {label(int(h["gross"]))}'
            parts.append(f'<rect class="hour-bar" x="{x + slot * 0.15:.1f}" y="{TOP + plot_h - height:.1f}" '
                         f'width="{slot * 0.7:.1f}" height="{height:.1f}" rx="2"><title>{escape(tip)}</title></rect>')
        if int(h["hour"]) % 3 == 0:
            parts.append(f'<text class="axis" x="{x + slot / 2:.1f}" y="{HEIGHT - 8}" text-anchor="middle">'
                         f'{int(h["hour"]):02d}</text>')
    parts.append("</svg>")
    return "".join(parts)


def split_chart(parts: Sequence[tuple[str, int, str]], *, title: str) -> str:
    """One horizontal bar split into coloured shares, e.g. cash / miles / refunds: (css class, value, label)."""
    total = sum(max(0, v) for _, v, _ in parts) or 1
    out = [f'<svg class="chart split" viewBox="0 0 {WIDTH} 36" role="img" aria-label="{escape(title)}" '
           f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
           f'<rect class="track" x="0" y="4" width="{WIDTH}" height="28" rx="6"/>']
    x = 0.0
    for css, value, text in parts:
        if value <= 0:
            continue
        w = WIDTH * value / total
        out.append(f'<rect class="{escape(css)}" x="{x:.1f}" y="4" width="{w:.1f}" height="28">'
                   f'<title>{escape(text)}</title></rect>')
        x += w
    out.append("</svg>")
    return "".join(out)
