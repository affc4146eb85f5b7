"""Submissions over time as an SVG bar chart drawn on the server (no script,
nothing from another host; the portal's CSP forbids both)."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from kkbc.formatting import month_label, short_date

WIDTH, HEIGHT = 640, 220
LEFT, BOTTOM, TOP = 48, 32, 14


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    x: float
    y: float
    width: float
    height: float


def buckets(days: list[date], today: date) -> tuple[str, list[tuple[str, int]]]:
    """Counts per day (up to three months), per week (up to two years), else per month."""
    return buckets_counted(Counter(days), today)


def buckets_counted(per_day: dict[date, int], today: date) -> tuple[str, list[tuple[str, int]]]:
    """``buckets`` from counts per day, as the database groups them."""
    if not per_day:
        return "hari", []
    first = min(per_day)
    span = (today - first).days
    counts: Counter = Counter()
    if span <= 92:
        counts.update(per_day)
        keys = [first + timedelta(n) for n in range(span + 1)]
        return "hari", [(short_date(k), counts[k]) for k in keys]
    if span <= 730:
        monday = first - timedelta(first.weekday())
        for d, n in per_day.items():
            counts[d - timedelta(d.weekday())] += n
        keys = [monday + timedelta(weeks=n) for n in range((today - monday).days // 7 + 1)]
        return "minggu", [(f"minggu {short_date(k)}", counts[k]) for k in keys]
    for d, n in per_day.items():
        counts[(d.year, d.month)] += n
    keys, (y, m) = [], (first.year, first.month)
    while (y, m) <= (today.year, today.month):
        keys.append((y, m))
        y, m = (y + m // 12, m % 12 + 1)
    return "bulan", [(month_label(y, m), counts[(y, m)]) for y, m in keys]


def bars(series: list[tuple[str, int]]) -> dict:
    """Geometry for the template: bars, the top of the scale, the axis."""
    peak = max((n for _, n in series), default=0) or 1
    inner_w, inner_h = WIDTH - LEFT - 8, HEIGHT - BOTTOM - TOP
    step = inner_w / max(len(series), 1)
    gap = min(step * 0.2, 4)
    result = []
    for i, (label, n) in enumerate(series):
        h = inner_h * n / peak
        result.append(Bar(label, n, round(LEFT + i * step + gap / 2, 2), round(TOP + inner_h - h, 2),
                          round(max(step - gap, 1), 2), round(h, 2)))
    return {"bars": result, "peak": peak, "width": WIDTH, "height": HEIGHT, "left": LEFT,
            "top": TOP, "base": TOP + inner_h, "right": WIDTH - 8}
