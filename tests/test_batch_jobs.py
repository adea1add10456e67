"""``rubric score BATCH --jobs N``: worker processes change the speed, never the output.

Each test scores the same generated batch (benchmarks/scale.py's generator: every 50th row
broken in one of five ways) with one process and with several, and compares everything a
user sees: the output bytes, stderr and the exit code.
"""
from __future__ import annotations

import csv
import io
import json
import multiprocessing
import pickle
import sys
from itertools import count
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

import engine
from cli import batch_blocks, batch_jobs
from cli.batch_score import expand, pending, score_item
from cli.main import app
from cli.tally import Tally
from engine import csv_blocks

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import scale  # noqa: E402

QINGDAO = engine.load_rubric(ROOT / "rubrics/qingdao/2020.yaml")
ENV = {"COLUMNS": None, "FORCE_COLOR": None, "RUBRIC_PATH": None, "RUBRIC_DEBUG": None}
ROWS = 260


def rubric(*args: str):  # noqa: ANN201 - typer's Result
    return CliRunner().invoke(app, [*args, "--rubrics", str(ROOT / "rubrics")], env=ENV)


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    path = tmp_path_factory.mktemp("jobs") / "projects.csv"
    return path, scale.generate(ROWS, path, seed=11)


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Many small chunks and blocks, so that ordering across chunks and workers is really exercised."""
    monkeypatch.setattr(batch_jobs, "CHUNK", 7)
    monkeypatch.setattr(csv_blocks, "BLOCK", 2000)  # about ten rows


def run(source: Path, target: Path, jobs: int, *options: str):  # noqa: ANN201
    return rubric("score", "qingdao@2020", str(source), *options, "-o", str(target), "--jobs", str(jobs))


@pytest.mark.parametrize("jobs", [2, 0])
def test_jobs_give_byte_identical_csv_stderr_and_exit_code(batch: tuple[Path, int], tmp_path: Path, jobs: int) -> None:
    source, broken = batch
    one = run(source, tmp_path / "one.csv", 1, "--format", "csv")
    many = run(source, tmp_path / "many.csv", jobs, "--format", "csv")
    assert one.exit_code == many.exit_code == 1
    assert (tmp_path / "one.csv").read_bytes() == (tmp_path / "many.csv").read_bytes()
    assert one.stderr.replace("one.csv", "many.csv") == many.stderr
    rows = list(csv.reader(io.StringIO((tmp_path / "many.csv").read_text(encoding="utf-8-sig"))))[1:]
    assert len(rows) == ROWS and broken == ROWS // 50
    failed = [r for r in rows if r[3] == "failed"]
    assert [r[1] for r in failed] == [f"{source}:{n + 1}" for n in range(50, ROWS + 1, 50)]  # line = row + header
    assert all(r[-1].startswith(f"{r[1]}:") for r in failed), "each reason names the row's file:line:column"
    assert all(r[2] for r in failed), "a failed row keeps its subject, from a worker too"


def same_as_one_process(source: Path, tmp_path: Path, *options: str) -> str:
    """Score ``source`` with one process and with two: the same output, stderr and exit code; the stderr."""
    one = rubric("score", "qingdao@2020", str(source), *options, "--jobs", "1")
    many = rubric("score", "qingdao@2020", str(source), *options, "--jobs", "2")
    assert (one.exit_code, one.stdout, one.stderr) == (many.exit_code, many.stdout, many.stderr)
    return many.stderr


def awkward(batch: Path, target: Path) -> Path:
    """The generated batch with quoted line breaks, quotes, blank rows, and stray quotes that mislead the cut."""
    rows = list(csv.reader(io.StringIO(batch.read_text(encoding="utf-8"), newline="")))
    for n in range(1, len(rows), 9):
        rows[n][0] = f'项目\n"{n}"\r\n第三行' if n % 2 else f"{rows[n][0]}, 第{n}"
    text = io.StringIO(newline="")
    csv.writer(text).writerows(rows[:100] + [[], [""] * 5] + rows[100:])
    lines = text.getvalue().split("\r\n")
    for n in (40, 150):  # a quote inside an unquoted field: a plain character to csv, a stray one to the count
        lines[n] = lines[n].replace(",", ',5"屏,', 1).replace(",", "", 1)
    target.write_text("\r\n".join(lines), encoding="utf-8")
    return target


@pytest.mark.parametrize("size", [1, 300, 2000, 10**6])
def test_awkward_rows_give_the_same_rows_locations_and_problems(batch: tuple[Path, int], tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch, size: int) -> None:
    monkeypatch.setattr(csv_blocks, "BLOCK", size)
    source = awkward(batch[0], tmp_path / "awkward.csv")
    same_as_one_process(source, tmp_path, "--format", "csv", "-o", str(tmp_path / "out.csv"))
    stderr = same_as_one_process(source, tmp_path, "--format", "csv")  # to stdout, problems between the rows
    assert f"{source}:" in stderr and "scored" in stderr.splitlines()[-1]
    rows = list(csv.reader(io.StringIO(rubric("score", "qingdao@2020", str(source), "--format", "csv").stdout)))
    assert len(rows) == 1 + ROWS and any("\n" in row[2] for row in rows) and any('5"屏' in "".join(row) for row in rows)


def test_a_bad_header_or_a_missing_file_fails_the_same(tmp_path: Path) -> None:
    (tmp_path / "bad.csv").write_text("subject,no_such_column\nx,1\n", encoding="utf-8")
    assert "unknown column 'no_such_column'" in same_as_one_process(tmp_path / "bad.csv", tmp_path, "--format", "csv")
    same_as_one_process(tmp_path / "missing.csv", tmp_path, "--format", "csv")
    (tmp_path / "empty.csv").write_text("", encoding="utf-8")
    same_as_one_process(tmp_path / "empty.csv", tmp_path, "--format", "csv")


def test_a_file_that_stops_being_readable_midway_stops_at_the_same_row(batch: tuple[Path, int], tmp_path: Path) -> None:
    header, *rows = batch[0].read_bytes().splitlines(keepends=True)
    source = tmp_path / "midway.csv"  # past the 64 KB from which the encoding is guessed, a byte that is not UTF-8
    source.write_bytes(b"".join([header, *rows, *rows[:150], b"\xff\xfe,bad\r\n", *rows[150:]]))
    stderr = same_as_one_process(source, tmp_path, "--format", "csv", "-o", str(tmp_path / "out.csv"))
    assert "not utf-8-sig text after line" in stderr
    if multiprocessing.get_start_method() == "fork":  # the workers see the limit set here
        rows = list(csv.reader(io.StringIO(batch[0].read_text(encoding="utf-8"), newline="")))
        rows[120][0] = "长" * 2000
        with source.open("w", encoding="utf-8", newline="") as stream:
            csv.writer(stream).writerows(rows)
        limit = csv.field_size_limit(1000)
        try:
            stderr = same_as_one_process(source, tmp_path, "--format", "csv", "-o", str(tmp_path / "out.csv"))
        finally:
            csv.field_size_limit(limit)
        assert f"{source}:121:1: not a readable CSV file: field larger than field limit (1000)" in stderr


def test_the_csv_reader_stays_a_bounded_number_of_blocks_ahead(batch: tuple[Path, int],
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    read = count()
    cut = batch_blocks.csv_blocks
    monkeypatch.setattr(batch_blocks, "csv_blocks", lambda *args: ((next(read), block)[1] for block in cut(*args)))
    answers = batch_blocks.rendered_in_parallel(QINGDAO, [str(batch[0])], 2, "\n")
    first = next(answers)
    assert isinstance(first, batch_blocks.Rendered) and first.rows[0].startswith(f"{batch[0]}:2,")
    assert next(read) <= 2 * batch_jobs.IN_FLIGHT + 1, "the parent read the input ahead without bound"
    assert sum(len(block.rows) for block in [first, *answers]) == ROWS


def test_a_directory_of_files_and_tables_scores_the_same_in_parallel(batch: tuple[Path, int], tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.yaml").write_bytes((ROOT / "examples/qingdao-2020.yaml").read_bytes())
    (folder / "b.yaml").write_text("values: [not, a, mapping]\n", encoding="utf-8")
    (folder / "c.csv").write_bytes(batch[0].read_bytes())
    (folder / "d.csv").write_text("subject,no_such_column\nx,1\n", encoding="utf-8")  # the whole file fails
    one = run(folder, tmp_path / "one.csv", 1, "--format", "csv")
    many = run(folder, tmp_path / "many.csv", 2, "--format", "csv")
    assert one.exit_code == many.exit_code == 1
    assert (tmp_path / "one.csv").read_bytes() == (tmp_path / "many.csv").read_bytes()
    statuses = [r[3] for r in csv.reader(io.StringIO((tmp_path / "many.csv").read_text(encoding="utf-8-sig")))][1:]
    assert statuses[:2] == ["ok", "failed"] and statuses[-1] == "failed" and len(statuses) == 2 + ROWS + 1


def test_workbook_sheets_hold_the_same_cells_in_parallel(batch: tuple[Path, int], tmp_path: Path) -> None:
    one = run(batch[0], tmp_path / "one.xlsx", 1, "--format", "xlsx")
    many = run(batch[0], tmp_path / "many.xlsx", 2, "--format", "xlsx")
    assert one.exit_code == many.exit_code == 1
    first, second = (openpyxl.load_workbook(tmp_path / name) for name in ("one.xlsx", "many.xlsx"))
    assert first.sheetnames == second.sheetnames and len(first.sheetnames) == 3 + 100  # 100 project sheets
    for name in first.sheetnames:  # the project sheets need full breakdowns from the workers
        assert [[c.value for c in r] for r in first[name].iter_rows()] == \
               [[c.value for c in r] for r in second[name].iter_rows()], name


def test_json_of_a_batch_has_every_breakdown_in_parallel(batch: tuple[Path, int], tmp_path: Path) -> None:
    one = run(batch[0], tmp_path / "one.json", 1, "--format", "json")
    many = run(batch[0], tmp_path / "many.json", 2, "--format", "json")
    assert one.exit_code == many.exit_code == 1
    text = (tmp_path / "many.json").read_text(encoding="utf-8")
    assert text == (tmp_path / "one.json").read_text(encoding="utf-8")
    assert "explanation" in text and len(json.loads(text)) == ROWS - ROWS // 50  # every scored row


def test_the_reader_stays_a_bounded_number_of_rows_ahead(batch: tuple[Path, int]) -> None:
    read = count()
    items = ((next(read), item)[1] for item in pending(QINGDAO, [str(batch[0])]))
    answers = batch_jobs.scored_in_parallel(QINGDAO, items, 2, lambda: False)
    next(answers)
    ahead = next(read)
    assert ahead <= batch_jobs.CHUNK * 2 * batch_jobs.IN_FLIGHT + 1, "the parent read the input ahead without bound"
    assert len(list(answers)) == ROWS - 1


def test_a_bug_in_a_worker_is_an_internal_error_and_leaves_no_file(batch: tuple[Path, int], tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    if multiprocessing.get_start_method() != "fork":
        pytest.skip("the patch reaches the workers only when they are forked from this process")

    def broken(*args: object) -> engine.Result:
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(engine, "score", broken)
    result = run(batch[0], tmp_path / "out.csv", 2, "--format", "csv")
    assert result.exit_code == 3 and "internal error: ZeroDivisionError: boom" in result.stderr
    assert not (tmp_path / "out.csv").exists()


def test_a_summary_keeps_what_a_results_row_and_the_tally_read() -> None:
    result = engine.score(QINGDAO, engine.load_submission(ROOT / "examples/qingdao-2020.yaml", QINGDAO))
    summary = batch_jobs.unpacked(*pickle.loads(pickle.dumps(batch_jobs.packed(result))))
    assert (summary.subject, summary.total, summary.max, summary.grade, summary.veto, summary.sha256) == \
           (result.subject, result.total, result.max, result.grade, result.veto, result.sha256)
    assert [(n.id, n.label, n.score, n.lost) for n in summary.indicators] == \
           [(n.id, n.label, n.score, n.lost) for n in result.indicators]
    assert all(not n.children for n in summary.indicators)


def test_tallies_merged_block_by_block_equal_one_tally(batch: tuple[Path, int]) -> None:
    outcomes = [score_item(QINGDAO, where, item) for where, item in expand(QINGDAO, [str(batch[0])])]
    whole, merged = Tally.for_rubric(QINGDAO), Tally.for_rubric(QINGDAO)
    for start in range(0, len(outcomes), 37):
        part = Tally.for_rubric(QINGDAO)
        for outcome in outcomes[start:start + 37]:
            for tally in (whole, part):
                if outcome.result is None:
                    tally.fail()
                else:
                    tally.add(outcome.result)
        merged.merge(part)
    assert merged == whole and list(merged.per_grade.items()) == list(whole.per_grade.items())
    assert (merged.scored, merged.failed) == (ROWS - ROWS // 50, ROWS // 50)
    assert [str(x) for x in (merged.total_sum, merged.lowest, merged.highest)] == \
           [str(x) for x in (whole.total_sum, whole.lowest, whole.highest)]
