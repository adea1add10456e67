"""Batches: one project per row (CSV, xlsx), directories, streamed output, nothing lost, atomic files.

Each batch mixes good rows with broken ones; a good row's expected figures come from scoring
the same data as a YAML submission, and every broken row must be reported at its location.
"""
from __future__ import annotations

import csv
import io
import os
import statistics
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

import engine
from cli.main import app
from cli.render_batch import XlsxBatch
from engine.batch import iter_submissions

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples/qingdao-2020.yaml"
QINGDAO = engine.load_rubric(ROOT / "rubrics/qingdao/2020.yaml")
INPUTS = ["budget", "received", "spent", "services_done", "quality_rate", "timely_rate", "cost_cut",
          "import_time_cut", "export_time_cut", "freight_rank", "satisfaction"]
JUDGED = ["basis", "procedure", "goal_rationality", "goal_clarity", "budgeting", "allocation", "compliance",
          "rules_sound", "rules_applied"]
HEADER = ["subject", *INPUTS, *(f"judgment.{key}.{part}" for key in JUDGED for part in ("deduction", "reason"))]
GOOD = ["6548.5", "6548.5", "6548.5", "9", "100", "100", "50", "60.15", "88.47", "3", "95"]
ENV = {"COLUMNS": None, "FORCE_COLOR": None, "RUBRIC_PATH": None, "RUBRIC_DEBUG": None}


def rubric(*args: str):  # noqa: ANN201 - typer's Result
    return CliRunner().invoke(app, [*args, "--rubrics", str(ROOT / "rubrics")], env=ENV)


def row(subject: str, values: list[str] | None = None, cut: str = "0.75", reason: str = "目标不够细化") -> list[str]:
    judged = [cell for key in JUDGED for cell in ((cut, reason) if key == "goal_rationality" else ("0", ""))]
    return [subject, *(values or GOOD), *judged]


def broken(values: dict[str, str]) -> list[str]:
    return [values.get(key, good) for key, good in zip(INPUTS, GOOD)]


def expected_total(cut: str = "0.75") -> Decimal:
    data = engine.document.load_file(EXAMPLE).data
    data["judgments"] = {key: {"deductions": [{"points": Decimal(cut), "reason": "r"}] if key == "goal_rationality" else []}
                         for key in JUDGED}
    return engine.score(QINGDAO, engine.submission_from_data(data, QINGDAO)).total


def write_csv(path: Path, rows: list[list[str]], encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as stream:
        csv.writer(stream).writerows([HEADER, *rows])
    return path


def outcomes(source: Path) -> list[tuple[str, object]]:
    return list(iter_submissions(source, QINGDAO))


# -- reading ------------------------------------------------------------------------------------
def test_csv_rows_every_good_row_scored_and_every_bad_one_located(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "p.csv", [row("甲"), row("乙", broken({"services_done": "30家"})), [""] * 3,
                                          row("丙", cut="1"), row("丁", broken({"quality_rate": ""}))])
    found = outcomes(path)
    assert [location for location, _ in found] == [f"{path}:{n}" for n in (2, 3, 5, 6)]
    good = {o.subject: engine.score(QINGDAO, o).total for _, o in found if isinstance(o, engine.Submission)}
    assert good == {"甲": expected_total(), "丙": expected_total("1")}
    bad = [str(p) for _, o in found if isinstance(o, engine.RubricError) for p in o.problems]
    column = HEADER.index("services_done") + 1
    assert bad[0] == f'{path}:3:{column}: values.services_done: expected a whole number, got "30家"; write the number alone'
    assert bad[1].startswith(f"{path}:6:{HEADER.index('quality_rate') + 1}: values.quality_rate: missing value")


def test_a_csv_saved_by_chinese_excel_as_gb18030_is_read(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "gbk.csv", [row("口岸项目")], encoding="gb18030")
    [(_, submission)] = outcomes(path)
    assert submission.subject == "口岸项目"


def test_unknown_repeated_and_missing_columns_fail_the_file_once(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    header = [h for h in HEADER if h != "satisfaction"] + ["budgte", "subject", "# 备注"]
    path.write_text(",".join(header) + "\n" + ",".join(["x"] * len(header)) + "\n", encoding="utf-8")
    [(location, error)] = outcomes(path)
    messages = [str(p) for p in error.problems]
    assert location == str(path)
    assert f"{path}:1:{len(header) - 2}: unknown column 'budgte'; did you mean 'budget'?; see `rubric template` for the names" in messages
    assert f"{path}:1:{len(header) - 1}: column 'subject' repeats column 1" in messages
    assert f"{path}:1:1: no column for the required input 'satisfaction' (进出口企业满意度)" in messages


def test_xlsx_rows_read_percent_formats_and_name_sheet_and_cell(tmp_path: Path) -> None:
    path = tmp_path / "projects.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "项目"
    labels = ["subject", *(QINGDAO.inputs[key].label for key in INPUTS), *HEADER[len(INPUTS) + 1:]]
    sheet.append(labels)  # input labels work as headers too
    for values in (row("甲"), row("乙", broken({"freight_rank": "第三"}))):
        sheet.append([float(v) if v.replace(".", "").isdigit() else v for v in values])
    quality = HEADER.index("quality_rate") + 1
    for number in (2, 3):
        sheet.cell(number, quality).value, sheet.cell(number, quality).number_format = 1, "0%"  # 100% as a fraction
    book.save(path)
    (first, good), (second, bad) = outcomes(path)
    assert first == f"{path}:项目!2" and engine.score(QINGDAO, good).total == expected_total()
    column = openpyxl.utils.get_column_letter(HEADER.index("freight_rank") + 1)
    assert [str(p) for p in bad.problems] == [f'{path}: values.freight_rank: 项目!{column}3: expected a whole number, got "第三"; write the number alone']


def test_a_directory_reads_every_file_in_name_order_and_reports_broken_ones(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "b.yaml").write_text("values: [", encoding="utf-8")
    write_csv(tmp_path / "c.csv", [row("丙")])
    (tmp_path / "notes.txt").write_text("ignored", encoding="utf-8")
    found = outcomes(tmp_path)
    assert [Path(location.split(":")[0]).name for location, _ in found] == ["a.yaml", "b.yaml", "c.csv"]
    assert [isinstance(o, engine.Submission) for _, o in found] == [True, False, True]


# -- output ------------------------------------------------------------------------------------------
def test_batch_to_xlsx_has_every_row_a_failed_sheet_summary_and_charts(tmp_path: Path) -> None:
    rows = [row(f"项目{n}", cut=str(n % 3)) for n in range(6)] + [row("坏", broken({"spent": "很多"}))]
    source, target = write_csv(tmp_path / "p.csv", rows), tmp_path / "scored.xlsx"
    result = rubric("score", "qingdao@2020", str(source), "--format", "xlsx", "-o", str(target))
    assert result.exit_code == 1
    assert f"{source}:8:4: values.spent: expected a number" in result.stderr
    book = openpyxl.load_workbook(target)
    results = list(book["结果 results"].iter_rows(min_row=2, values_only=True))
    assert [r[3] for r in results] == ["ok"] * 6 + ["failed"]
    assert results[6][2] == "坏"  # a failed row keeps the subject it gives
    assert [Decimal(str(r[4])) for r in results[:6]] == [expected_total(str(n % 3)) for n in range(6)]
    assert "values.spent" in results[6][-1]
    assert [r[1] for r in book["未评分 failed"].iter_rows(min_row=2, values_only=True)] == [f"{source}:8"]
    summary = {r[0]: r[1] for r in book["汇总 summary"].iter_rows(values_only=True) if r and r[0]}
    totals = [float(expected_total(str(n % 3))) for n in range(6)]
    assert summary["项目数 projects"] == 7 and summary["未评分 failed"] == 1
    assert summary["平均分 mean"] == pytest.approx(statistics.mean(totals), abs=1e-4)
    assert summary["标准差 spread"] == pytest.approx(statistics.pstdev(totals), abs=1e-4)
    assert len(book.sheetnames) == 3 + 6  # summary, results, failed, one sheet per scored project
    with zipfile.ZipFile(target) as archive:
        assert sum(name.startswith("xl/charts/chart") for name in archive.namelist()) == 2


def test_project_sheets_are_capped_and_the_summary_says_so(tmp_path: Path) -> None:
    target = tmp_path / "capped.xlsx"
    with XlsxBatch(QINGDAO, target, detail_sheets=2) as out:
        for n in range(5):
            out.add(f"row {n}", engine.score(QINGDAO, engine.load_submission(EXAMPLE, QINGDAO)))
    book = openpyxl.load_workbook(target)
    assert len(book.sheetnames) == 3 + 2
    notes = [r[1] for r in book["汇总 summary"].iter_rows(values_only=True) if r and r[0] == "明细 detail sheets"]
    assert notes == ["前 2 个已评分项目各一张（共 5 个）"]
    leaf_rows = list(book[book.sheetnames[3]].iter_rows(min_row=8, values_only=True))
    assert leaf_rows[0][:4] == ("决策", "项目立项", "立项依据充分性", 3)  # the 自评表 layout
    assert leaf_rows[-1][0] == "总分" and Decimal(str(leaf_rows[-1][6])) == Decimal("96.65")


def test_batch_to_csv_streams_one_row_per_project_to_stdout(tmp_path: Path) -> None:
    source = write_csv(tmp_path / "p.csv", [row("甲"), row("乙", broken({"budget": "-1"}))])
    result = rubric("score", "qingdao@2020", str(source), "--format", "csv")
    assert result.exit_code == 1
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert [r[2:6] for r in rows[1:]] == [["甲", "ok", str(expected_total()), "优"], ["乙", "failed", "", ""]]  # subject kept
    assert "out of range" in rows[2][-1]


def test_nothing_scored_exits_2_and_still_writes_which_rows_failed(tmp_path: Path) -> None:
    source = write_csv(tmp_path / "p.csv", [row("乙", broken({"budget": "x"}))])
    target = tmp_path / "out.csv"
    result = rubric("score", "qingdao@2020", str(source), "--format", "csv", "-o", str(target))
    assert result.exit_code == 2
    assert "failed" in target.read_text(encoding="utf-8-sig")


@pytest.mark.parametrize("format", ["xlsx", "csv"])
def test_a_run_that_fails_midway_leaves_no_file_and_keeps_the_old_one(tmp_path: Path, format: str,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    source = write_csv(tmp_path / "p.csv", [row(f"项目{n}") for n in range(4)])
    target = tmp_path / f"scored.{format}"
    target.write_text("the old report", encoding="utf-8")
    calls = []
    real = engine.score

    def flaky(*args: object) -> engine.Result:
        calls.append(1)
        if len(calls) == 3:
            raise ZeroDivisionError("boom")
        return real(*args)

    monkeypatch.setattr(engine, "score", flaky)
    result = rubric("score", "qingdao@2020", str(source), "--format", format, "-o", str(target))
    assert result.exit_code == 3
    assert target.read_text(encoding="utf-8") == "the old report"
    assert sorted(os.listdir(tmp_path)) == ["p.csv", f"scored.{format}"]  # no temporary file left behind


def test_numbered_columns_give_an_indicator_several_deductions(tmp_path: Path) -> None:
    path = tmp_path / "two.csv"
    header = HEADER + ["judgment.goal_rationality.deduction.2", "judgment.goal_rationality.reason.2"]
    with path.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows([header, row("甲", cut="0.5", reason="一") + ["0.25", "二"],
                                      row("乙", cut="0.5", reason="一") + ["0.25", ""]])
    (_, good), (_, bad) = outcomes(path)
    assert good.judgments["goal_rationality"].deductions == ((Decimal("0.5"), "一"), (Decimal("0.25"), "二"))
    assert engine.score(QINGDAO, good).total == expected_total("0.75")
    assert [str(p) for p in bad.problems] == [f"{path}:3:{len(header)}: judgments.goal_rationality.deductions[1].reason: "
                                              "a deduction needs a 'reason' (扣分原因)"]


def test_the_example_batch_scores_as_docs_excel_md_says(tmp_path: Path) -> None:
    source = ROOT / "examples/batch/qingdao-2020-projects.csv"
    result = rubric("score", "qingdao@2020", str(source), "--format", "csv", "-o", str(tmp_path / "s.csv"))
    assert result.exit_code == 1
    rows = list(csv.reader(io.StringIO((tmp_path / "s.csv").read_text(encoding="utf-8-sig"))))
    assert [(r[3], r[4], r[5]) for r in rows[1:]] == [("ok", "96.65", "优"), ("ok", "80.80", "良"), ("ok", "99.99", "优"),
                                                      ("ok", "69.37", "差"), ("failed", "", "")]
    assert '"30家"' in rows[5][-1]
