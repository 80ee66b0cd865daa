"""Small server-rendered SVG charts: no script, no CDN, crisp on any screen. Pure."""

from html import escape


def sparkline(values, width=120, height=32, floor=0.0, ceiling=100.0):
    """An SVG line of percents (None leaves a gap), with a dot on the last known value."""
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
    dot = ""
    if last is not None:
        dot = (
            f'<circle cx="{round(last[0] * step, 1)}" cy="{y(last[1])}" r="3" fill="currentColor"/>'
        )
    label = escape(", ".join("—" if v is None else f"{v:g}" for v in values))
    return (
        f'<svg class="spark" viewBox="-4 0 {width + 8} {height}" width="{width + 8}" '
        f'height="{height}" role="img" aria-label="{label}">{lines}{dot}</svg>'
    )
