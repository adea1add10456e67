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
from cli import batch_jobs
from cli.batch_score import pending
from cli.main import app

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
    """Many small chunks, so that ordering across chunks and workers is really exercised."""
    monkeypatch.setattr(batch_jobs, "CHUNK", 7)


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
