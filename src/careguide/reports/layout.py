"""Rebuild printed lines from positioned text boxes (PDF words, OCR detections).

Boxes are rotated back by the page's skew (estimated from the boxes' own baselines), grouped
into lines by vertical overlap, and split into cells at wide horizontal gaps. A page printed
in two result columns is read column by column: a vertical band that is empty on most lines
near the middle of the page marks the split.
"""

from __future__ import annotations

import math
import re
import statistics

from careguide.reports.fields import looks_like_unit, parse_flag, parse_value
from careguide.reports.models import Box, RawLine

_LINE_OVERLAP = 0.5  # share of the smaller box height two boxes must share to be on one line
_CELL_GAP = 1.0  # a gap wider than this many text heights starts a new cell
_COLUMN_BAND_MIN_LINES = 0.5  # share of multi-box lines that must be empty in the split band


def lines_from_boxes(boxes: list[Box], angle_degrees: float = 0.0, page: int = 1) -> list[RawLine]:
    if not boxes:
        return []
    if abs(angle_degrees) > 0.2:
        boxes = [_rotate(b, -angle_degrees) for b in boxes]
    rows = _group_rows(boxes)
    split = _column_split(rows)
    if split is None:
        return [RawLine(cells=_cells(row), page=page) for row in rows]
    left: list[RawLine] = []
    right: list[RawLine] = []
    for row in rows:
        lhs = [b for b in row if b.x1 <= split]
        rhs = [b for b in row if b.x0 >= split]
        if len(lhs) + len(rhs) < len(row):  # a box crosses the split: a full-width line (title, header)
            left.append(RawLine(cells=_cells(row), page=page))
            continue
        if lhs:
            left.append(RawLine(cells=_cells(lhs), page=page))
        if rhs:
            right.append(RawLine(cells=_cells(rhs), page=page))
    return left + right


def skew_angle(quads: list[list[tuple[float, float]]]) -> float:
    """Median slope (degrees) of the top edges of wide boxes: the page's rotation."""
    angles = []
    for quad in quads:
        (x0, y0), (x1, y1) = quad[0], quad[1]
        width = x1 - x0
        if width > 2 * abs(quad[3][1] - quad[0][1]) and width > 0:
            angles.append(math.degrees(math.atan2(y1 - y0, width)))
    return statistics.median(angles) if angles else 0.0


def _rotate(box: Box, degrees: float) -> Box:
    rad = math.radians(degrees)
    cos, sin = math.cos(rad), math.sin(rad)
    cx, cy = box.cx, box.cy
    nx, ny = cx * cos - cy * sin, cx * sin + cy * cos
    half_w, half_h = (box.x1 - box.x0) / 2, (box.y1 - box.y0) / 2
    return box.model_copy(update={"x0": nx - half_w, "x1": nx + half_w, "y0": ny - half_h, "y1": ny + half_h})


def _group_rows(boxes: list[Box]) -> list[list[Box]]:
    rows: list[list[Box]] = []
    for box in sorted(boxes, key=lambda b: b.cy):
        placed = False
        for row in reversed(rows[-3:]):
            top = statistics.median(b.y0 for b in row)
            bottom = statistics.median(b.y1 for b in row)
            overlap = min(bottom, box.y1) - max(top, box.y0)
            if overlap >= _LINE_OVERLAP * min(bottom - top, box.height):
                row.append(box)
                placed = True
                break
        if not placed:
            rows.append([box])
    return [sorted(row, key=lambda b: b.x0) for row in rows]


def _cells(row: list[Box]) -> list[str]:
    height = statistics.median(b.height for b in row) or 1.0
    cells: list[list[str]] = []
    last_x1: float | None = None
    for box in row:
        if last_x1 is None or box.x0 - last_x1 > _CELL_GAP * height:
            cells.append([box.text])
        else:
            cells[-1].append(box.text)
        last_x1 = box.x1
    return [" ".join(parts).strip() for parts in cells if " ".join(parts).strip()]


def _column_split(rows: list[list[Box]]) -> float | None:
    """An x that no box crosses on most multi-cell lines, in the middle third of the page."""
    multi = [row for row in rows if len(row) >= 2]
    if len(multi) < 6:
        return None
    x_min = min(b.x0 for row in rows for b in row)
    x_max = max(b.x1 for row in rows for b in row)
    width = x_max - x_min
    best: tuple[int, float] | None = None
    steps = 60
    for i in range(steps + 1):
        x = x_min + width * (0.35 + 0.3 * i / steps)
        clear = sum(1 for row in multi if all(b.x1 <= x or b.x0 >= x for b in row)
                    and any(b.x1 <= x for b in row) and any(b.x0 >= x for b in row)
                    and _row_has_gap(row, x) and _both_sides_hold_results(row, x))
        if best is None or clear > best[0]:
            best = (clear, x)
    if best is None or best[0] < _COLUMN_BAND_MIN_LINES * len(multi):
        return None
    return best[1]


def _row_has_gap(row: list[Box], x: float) -> bool:
    """The split must fall in a real gutter: wider than two text heights on this line."""
    height = statistics.median(b.height for b in row) or 1.0
    left_edge = max((b.x1 for b in row if b.x1 <= x), default=None)
    right_edge = min((b.x0 for b in row if b.x0 >= x), default=None)
    return left_edge is not None and right_edge is not None and right_edge - left_edge > 2 * height


def _both_sides_hold_results(row: list[Box], x: float) -> bool:
    """Two result columns, not one wide table: each side has a name followed by a number.

    In a one-column table the right of a wide gap starts with a value, unit or range, never a name.
    """
    left = " ".join(b.text for b in row if b.x1 <= x)
    right = " ".join(b.text for b in row if b.x0 >= x)
    return all(_NAME_THEN_NUMBER.search(side) and not _starts_with_field(side) for side in (left, right))


def _starts_with_field(text: str) -> bool:
    first = text.split()[0] if text.split() else ""
    return looks_like_unit(first) or parse_flag(first) is not None or parse_value(first) is not None and \
        not re.fullmatch(r"\d{1,3}[.、]?", first)


_NAME_THEN_NUMBER = re.compile(r"^\s*(?:\d{1,3}[.、]?\s+)?[A-Za-z\u4e00-\u9fff][^\s]*.*?\s[<>≤≥]?\d")
