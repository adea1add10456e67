"""engine.csv_blocks: a CSV cut into blocks reads as the ordinary reader reads it, row for row.

Each test reads a file both ways, in this process: :func:`engine.batch.iter_pending`, and
blocks of every size from one character up, each read by :func:`block_rows` as a worker
would, with a tangled block's file read on the ordinary way (as cli.batch_blocks does).
The rows, their locations and line numbers, and every problem must be the same.
"""
from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest

import engine
from engine import RubricError
from engine.batch import Pending, iter_pending
from engine.csv_blocks import Tangled, block_rows, csv_blocks

ROOT = Path(__file__).resolve().parent.parent
QINGDAO = engine.load_rubric(ROOT / "rubrics/qingdao/2020.yaml")
JUDGED = ["basis", "procedure", "goal_rationality", "goal_clarity", "budgeting", "allocation", "compliance",
          "rules_sound", "rules_applied"]
HEADER = "subject,budget,received,spent,services_done,quality_rate,timely_rate,cost_cut,import_time_cut," \
         "export_time_cut,freight_rank,satisfaction," + ",".join(f"judgment.{key}.{part}" for key in JUDGED[1:]
                                                                 for part in ("deduction", "reason")) \
         + ",judgment.basis.deduction,judgment.basis.reason"
VALUES = "6548.5,6548.5,6548.5,9,100,100,50,60.15,88.47,3,95," + ",".join(["0,"] * 8)  # then basis: cut, reason
SIZES = [1, 2, 7, 40, 100, 333, 10**6]


def plain(where: str, item: Pending | RubricError) -> tuple[str, Any]:
    """An item as a comparable value: a row's Pending, an error's problems."""
    return where, item if isinstance(item, Pending) else ("error", tuple(item.problems))


def ordinary(path: Path, since: int = 0) -> list[tuple[str, Any]]:
    """What the ordinary reader reads, from the row on line ``since`` on."""
    return [plain(w, i) for w, i in iter_pending(path, QINGDAO) if not isinstance(i, Pending) or i.row >= since]


def by_blocks(path: Path, size: int, tangles: list[int] | None = None) -> list[tuple[str, Any]]:
    """What the workers and the parent of ``--jobs`` make of ``path``, in one process; ``tangles`` gets the
    line of each block that did not end at a row."""
    found: list[tuple[str, Any]] = []
    tangles = [] if tangles is None else tangles
    try:
        for block in csv_blocks(path, QINGDAO, size):
            try:
                for where, item in block_rows(block):
                    found.append(plain(where, item))
                    if isinstance(item, RubricError):  # the file stops here
                        return found
            except Tangled as exc:
                tangles.append(exc.line)
                return found + ordinary(path, exc.line)
    except RubricError as exc:
        found.append(plain(str(path), exc))
    return found


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def assert_same(path: Path) -> None:
    expected = ordinary(path)
    for size in SIZES:
        assert by_blocks(path, size) == expected, f"blocks of {size} characters"


def test_quoted_fields_with_line_breaks_keep_their_rows_and_line_numbers(tmp_path: Path) -> None:
    rows = [f'"甲\n项目",{VALUES},0.5,"目标""不""细化,\r\n第二行"', f"乙,{VALUES},0,", "", ",,,",
            f'"丙 ""引号""",{VALUES},1,"a\rb"', f"丁,{VALUES},0,\"\"", f'"戊\n\n\n",{VALUES},0,x']
    for ending in ("\n", "\r\n", "\r"):
        path = write(tmp_path / "p.csv", ending.join([HEADER, *rows]) + ending)
        assert [where for where, _ in ordinary(path)] == [f"{path}:{n}" for n in (2, 5, 8, 10, 11)], repr(ending)
        assert_same(path)
        tangles: list[int] = []
        by_blocks(path, 40, tangles)  # (blocks of 1 to 7 characters are cut at 8 to 56 whatever the count)
        assert not tangles, "the quote count finds where each row ends"


def test_a_file_without_a_last_line_break_or_ending_inside_quotes(tmp_path: Path) -> None:
    assert_same(write(tmp_path / "a.csv", f"{HEADER}\n甲,{VALUES},0,"))
    assert_same(write(tmp_path / "b.csv", f'{HEADER}\n甲,{VALUES},0,\n乙,{VALUES},1,"unfinished\nreason'))


def test_a_stray_quote_that_misleads_the_cut_is_read_on_the_ordinary_way(tmp_path: Path) -> None:
    rows = [f'5"屏,{VALUES},0,', f'乙,{VALUES},1,"two\nlines"', f"丙,{VALUES},0,", f'丁,{VALUES},1,"x\ny"',
            f'戊 5",{VALUES},0,']
    path = write(tmp_path / "p.csv", "\n".join([HEADER, *rows]) + "\n")
    tangles: list[int] = []
    assert by_blocks(path, 1, tangles) == ordinary(path)
    assert tangles == [3], "the cut after 'two' (an even count of quotes) is found out"
    assert_same(path)


def test_a_broken_row_is_located_at_its_line(tmp_path: Path) -> None:
    rows = [f'"甲\n乙",{VALUES},0,', f"丙,{VALUES.replace('9', '30家', 1)},0,"]
    path = write(tmp_path / "p.csv", "\n".join([HEADER, *rows]) + "\n")
    rows_read = by_blocks(path, 1)
    outcome = rows_read[1][1].check(QINGDAO, {})
    assert rows_read[1][0] == f"{path}:4"
    assert str(outcome.problems[0]).startswith(f"{path}:4:5: values.services_done:")
    assert_same(path)


@pytest.mark.parametrize("text", ["", "\n", "subject,no_such_column\nx,1\n", f"{HEADER},budget\n"])
def test_a_file_that_fails_as_a_whole_fails_before_its_first_block(tmp_path: Path, text: str) -> None:
    path = write(tmp_path / "p.csv", text)
    expected = ordinary(path)
    assert len(expected) == 1 and expected[0][1][0] == "error"
    assert_same(path)
    assert_same(tmp_path / "missing.csv")


def test_a_csv_error_stops_the_file_at_the_same_row(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    limit = csv.field_size_limit()
    try:
        csv.field_size_limit(60)
        rows = [f"甲,{VALUES},0,", f'乙,{VALUES},1,"{"long " * 20}"', f"丙,{VALUES},0,"]
        path = write(tmp_path / "p.csv", "\n".join([HEADER, *rows]) + "\n")
        expected = ordinary(path)
        assert expected[-1][1][1][0].message.startswith("not a readable CSV file: field larger than field limit")
        assert_same(path)
    finally:
        csv.field_size_limit(limit)


def test_a_file_that_stops_being_utf8_stops_at_the_same_line(tmp_path: Path) -> None:
    good = "".join(f'"项目{n}\n第二行",{VALUES},0,\n' for n in range(1200))  # more than the 64 KB sniffed
    path = tmp_path / "p.csv"
    path.write_bytes(f"{HEADER}\n{good}".encode() + b"\xff\xfe,bad\n" + f"后,{VALUES},0,\n".encode())
    expected = ordinary(path)
    assert "not utf-8-sig text after line" in expected[-1][1][1][0].message
    for size in (1, 100, 5000, 70_000, 10**6):
        assert by_blocks(path, size) == expected, size


def test_a_gb18030_file_reads_the_same(tmp_path: Path) -> None:
    path = write(tmp_path / "p.csv", "\r\n".join([HEADER, f'"甲\r\n项目",{VALUES},0,', f"乙,{VALUES},1,扣分"]) + "\r\n",
                 encoding="gb18030")
    assert ordinary(path)[0][0] == f"{path}:2"
    assert_same(path)
