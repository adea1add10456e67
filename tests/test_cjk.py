"""Line breaking of Chinese mixed with figures (cli.cjk): between characters, never inside a figure."""
from __future__ import annotations

import pytest
from rich.cells import cell_len

from cli.cjk import widest_unit, wrap

REASON = "预算编制的科学性扣1分：年初预算4241万元，年中追加2307.5万元，预算编制科学性不足"


@pytest.mark.parametrize("width", range(8, 40))
def test_lines_fit_keep_every_figure_and_lose_nothing(width: int) -> None:
    lines = wrap(REASON, width)
    assert "".join(lines) == REASON
    assert all(cell_len(line) <= width for line in lines)
    assert "4241" in "\n".join(lines) and "2307.5" in "\n".join(lines)


def test_closing_punctuation_stays_with_what_it_closes() -> None:
    assert wrap("扣1分：资金分配尚无考核办法", 7) == ["扣1分：", "资金分", "配尚无", "考核办", "法"]
    assert wrap("《2017年部门项目申报》", 10) == ["《2017年部", "门项目申", "报》"]


def test_spaces_break_and_vanish_at_a_line_end() -> None:
    assert wrap("≤6548.5 万元", 8) == ["≤6548.5", "万元"]
    assert wrap("≤6548.5 万元", 12) == ["≤6548.5 万元"]
    assert widest_unit("≤6548.5 万元") == 7


def test_a_unit_wider_than_the_line_is_folded() -> None:
    assert wrap("ABCDEFGHIJ", 4) == ["ABCD", "EFGH", "IJ"]
    assert wrap("", 5) == [""]
