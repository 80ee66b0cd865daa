"""Small server-rendered SVG charts: no script, no CDN, crisp on any screen. Pure."""

from html import escape


def sparkline(values, width=150, height=36, floor=0.0, ceiling=100.0):
    """An SVG line of percents (None leaves a gap), a dot on each known value (the last one
    larger), over a faint line the width of all the periods: a short run of data still reads
    as the recent end of the trend, not as a 20 px squiggle."""
    if not values:
        return ""
    step = width / max(1, len(values) - 1)
    span = (ceiling - floor) or 1.0

    def y(value):
        return round(
            height - 3 - (min(max(value, floor), ceiling) - floor) / span * (height - 6), 1
        )

    segments, current = [], []
    for index, value in enumerate(values):
        if value is None:
            if current:
                segments.append(current)
            current = []
            continue
        current.append(f"{round(index * step, 1)},{y(value)}")
    if current:
        segments.append(current)
    lines = "".join(
        f'<polyline points="{" ".join(points)}" fill="none" stroke="currentColor" '
        f'stroke-width="2" stroke-linejoin="round" stroke-linecap="round"/>'
        for points in segments
    )
    last = next(((i, v) for i, v in reversed(list(enumerate(values))) if v is not None), None)
    dot = "".join(
        f'<circle cx="{round(i * step, 1)}" cy="{y(v)}" r="{3 if (i, v) == last else 1.8}" '
        f'fill="currentColor"/>'
        for i, v in enumerate(values)
        if v is not None
    )
    frame = (
        f'<line x1="0" y1="{height - 1}" x2="{width}" y2="{height - 1}" stroke="currentColor" '
        f'stroke-opacity=".25" stroke-width="1"/>'
    )
    label = escape(", ".join("—" if v is None else f"{v:g}" for v in values))
    return (
        f'<svg class="spark" viewBox="-4 0 {width + 8} {height}" width="{width + 8}" '
        f'height="{height}" role="img" aria-label="{label}">{frame}{lines}{dot}</svg>'
    )


def trend_chart(points, width=330, height=190):
    """A column chart of (label, percent or None) with each value written above its column.

    The y axis runs 0..100 with grid lines at 60 (pass) and 90 (excellent); a period without
    inspections shows "—" and no column. Sized by its viewBox, so it fills its container.
    """
    if not points:
        return ""
    top, bottom, left = 18, 22, 26
    plot = height - top - bottom
    slot = (width - left) / len(points)
    bar = max(4.0, slot * 0.6)
    # Twelve periods leave 25 units a column: "94.1" at full size touched its neighbours.
    written = "value dense" if slot < 30 else "value"

    def y(value):
        return round(top + plot - min(max(value, 0), 100) / 100 * plot, 1)

    parts = [
        f'<line class="grid" x1="{left}" x2="{width}" y1="{y(level)}" y2="{y(level)}"/>'
        f'<text class="axis" x="{left - 4}" y="{y(level) + 3}" text-anchor="end">{level}</text>'
        for level in (0, 60, 90, 100)
    ]
    for index, (label, value) in enumerate(points):
        middle = round(left + slot * index + slot / 2, 1)
        if value is not None:
            parts.append(
                f'<rect class="bar" x="{round(middle - bar / 2, 1)}" y="{y(value)}" '
                f'width="{round(bar, 1)}" height="{round(top + plot - y(value), 1)}"/>'
                f'<text class="{written}" x="{middle}" y="{y(value) - 4}" '
                f'text-anchor="middle">{value:g}</text>'
            )
        else:
            parts.append(
                f'<text class="{written} none" x="{middle}" y="{top + plot - 4}" '
                f'text-anchor="middle">—</text>'
            )
        parts.append(
            f'<text class="axis" x="{middle}" y="{height - 6}" '
            f'text-anchor="middle">{escape(str(label))}</text>'
        )
    label = escape(
        ", ".join(f"{name}: {'—' if value is None else f'{value:g}'}" for name, value in points)
    )
    return (
        f'<svg class="trend-chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{label}">{"".join(parts)}</svg>'
    )


def short_period_label(key):
    """2026-W48 -> W48, 2026-11 -> 11, 2026-Q4 -> Q4, 2026 -> 2026: room for 12 under a chart."""
    return key.rsplit("-", 1)[-1] if "-" in key else key
