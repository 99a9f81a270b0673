"""Rebuilding lines from positioned boxes: skew, two result columns, wide one-column tables."""

import math

from careguide.reports.layout import lines_from_boxes, skew_angle
from careguide.reports.models import Box


def _row(y: float, cells: list[tuple[float, str]], height: float = 10.0) -> list[Box]:
    return [Box(text=text, x0=x, y0=y, x1=x + 8 * len(text), y1=y + height) for x, text in cells]


def test_two_result_columns_are_read_left_column_first():
    boxes = []
    for i in range(8):
        y = 100 + 20 * i
        boxes += _row(y, [(0, f"A{i}"), (60, "1.0"), (100, "g/L"), (140, "1-2"),
                          (400, f"B{i}"), (460, "2.0"), (500, "g/L"), (540, "1-3")])
    lines = lines_from_boxes(boxes)
    names = [line.cells[0].split()[0] for line in lines]
    assert names == [f"A{i}" for i in range(8)] + [f"B{i}" for i in range(8)]


def test_one_wide_column_table_is_not_split():
    boxes = []
    for i in range(8):
        boxes += _row(100 + 20 * i, [(0, f"Analyte{i}"), (300, "5.4"), (420, "mmol/L"), (560, "3.9-6.1")])
    lines = lines_from_boxes(boxes)
    assert len(lines) == 8
    assert all(len(line.cells) == 4 for line in lines)


def test_skewed_rows_are_grouped_after_rotating_back():
    angle = 3.0
    slope = math.tan(math.radians(angle))
    boxes = []
    quads = []
    for i in range(6):
        for x, text in ((0, f"Item{i}"), (400, "5.0"), (600, "U/L"), (800, "0-40")):
            y = 100 + 30 * i + slope * x
            boxes.append(Box(text=text, x0=x, y0=y, x1=x + 60, y1=y + 12))
            quads.append([(x, y), (x + 60, y + 60 * slope), (x + 60, y + 12 + 60 * slope), (x, y + 12)])
    measured = skew_angle(quads)
    assert abs(measured - angle) < 0.5
    lines = lines_from_boxes(boxes, angle_degrees=measured)
    assert [len(line.cells) for line in lines] == [4] * 6
    assert lines[0].cells[0] == "Item0"
