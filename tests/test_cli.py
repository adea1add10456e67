"""``rubric score`` in-process (typer's CliRunner): exit codes, formats, errors, atomic output.

Expected figures come from the engine (``engine.score``) so these tests check what the CLI adds:
rendering, routing of errors to stderr, exit codes and files. Output compared is plain text or
JSON, never ANSI, except where colour itself is the subject.
"""
from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

import engine
from cli.main import app
from engine.numbers import fixed
from engine_helpers import line_of, rubric_text

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = "examples/qingdao-2020.yaml"
RUBRIC = "rubrics/qingdao/2020.yaml"
PLAIN_ENV = {"COLUMNS": None, "FORCE_COLOR": None, "RUBRIC_PATH": None, "RUBRIC_DEBUG": None, "TTY_COMPATIBLE": None}


@pytest.fixture(autouse=True)
def at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def rubric(*args: str, **env: str | None):  # noqa: ANN201 - typer's Result
    """Run ``rubric ARGS`` in-process with a plain (non-terminal) environment."""
    return CliRunner().invoke(app, list(args), env={**PLAIN_ENV, **env})


def expected(submission: str = EXAMPLE) -> engine.Result:
    model = engine.load_rubric(RUBRIC)
    return engine.score(model, engine.load_submission(submission, model))


def squash(text: str) -> str:
    """Text without whitespace, so that wrapped table cells still compare."""
    return re.sub(r"\s+", "", text)


def write(path: Path, text: str) -> str:
    path.write_text(text, encoding="utf-8")
    return str(path)


def broken_copy(tmp_path: Path, name: str = "broken.yaml") -> tuple[str, str]:
    """The example with a unit typed into a number ("30家"); returns (path, text)."""
    text = (ROOT / EXAMPLE).read_text(encoding="utf-8").replace("services_done: 9 ", "services_done: 30家 ")
    assert "30家" in text
    return write(tmp_path / name, text), text


def lower_copy(tmp_path: Path) -> str:
    text = (ROOT / EXAMPLE).read_text(encoding="utf-8")
    text = text.replace("quality_rate: 100%", "quality_rate: 40%").replace("subject: ", "subject: 低分项目 ", 1)
    return write(tmp_path / "lower.yaml", text)


# -- the table ---------------------------------------------------------------------------------
def test_table_shows_every_indicator_subtotal_deduction_total_and_grade() -> None:
    result, want = rubric("score", "qingdao@2020", EXAMPLE, COLUMNS="300"), expected()  # wide: no wrapped cells
    assert result.exit_code == 0, result.output
    assert "\x1b[" not in result.output
    lines = result.stdout.splitlines()
    for node in want.nodes():
        row = next((line for line in lines if line.strip().startswith(node.label[:10])), None)
        assert row is not None, f"no row for {node.id}"
        assert fixed(node.score, 2) in row
        for deduction in node.deductions:
            assert squash(deduction.reason) in squash(result.stdout)
    assert f"总分 Total: {fixed(want.total, 2)} / 100" in result.stdout
    assert "96.65 / 100" in result.stdout and "等级 Grade: 优" in result.stdout
    assert result.stderr == ""


def test_indicators_are_indented_by_level() -> None:
    lines = rubric("score", "qingdao@2020", EXAMPLE).stdout.splitlines()
    indent = {label: next(len(l) - len(l.lstrip()) for l in lines if l.strip().startswith(label))
              for label in ("决策", "项目立项", "立项依据充分性")}
    assert indent["决策"] < indent["项目立项"] < indent["立项依据充分性"]


def test_table_colours_rows_by_points_lost_on_a_terminal(tmp_path: Path) -> None:
    coloured = rubric("score", "qingdao@2020", lower_copy(tmp_path), FORCE_COLOR="1", COLUMNS="300").stdout
    quality = next(line for line in coloured.splitlines() if "质量达标率" in line)
    assert "\x1b[31m" in quality  # 60% of its points lost: red
    goal = next(line for line in coloured.splitlines() if "绩效目标合理性" in line and "2.25" in line)
    assert "\x1b[33m" in goal  # a quarter lost: yellow


def test_explain_gives_each_rule_in_words_and_its_arithmetic() -> None:
    result = rubric("score", "qingdao@2020", EXAMPLE, "--explain", COLUMNS="300")
    assert result.exit_code == 0
    model, output = engine.load_rubric(RUBRIC), squash(result.stdout)
    for node in expected().nodes():
        if node.kind:
            assert squash(model.node(node.id).rule.describe(model.node(node.id).weight)) in output
            assert squash(node.explanation) in output
    assert squash("9 项 ≥ 9 项 (完成率 100%): met → 8 × 100% = 8.00 → 8.00 / 8") in output


def test_veto_and_not_applicable_are_shown(tmp_path: Path) -> None:
    body = """\
        inputs:
          accident: {type: boolean, label: 安全事故}
          built: {type: number, label: 建成数}
          planned: {type: number, label: 计划数}
        indicators:
          - {id: a, label: 建设数量, weight: 60, rule: {kind: ratio, value: built / planned}}
          - {id: b, label: 附加指标, weight: 40, applicable: planned > 10, rule: {kind: ratio, value: built / planned}}
        veto:
          - {when: accident, grade: 差, reason: 发生重大安全事故}
        """
    path = write(tmp_path / "veto.yaml", rubric_text(body))
    submission = write(tmp_path / "s.yaml", "values: {accident: 是, built: 5, planned: 5}\n")
    result = rubric("score", path, submission)
    assert result.exit_code == 0, result.output
    assert "一票否决 Veto: 发生重大安全事故 → 差" in result.stdout
    assert "不适用 n/a" in next(line for line in result.stdout.splitlines() if "附加指标" in line)
    assert "100.00 / 100" in result.stdout  # the applicable indicator is rescaled to the total


WIDE_TABLES = [("qingdao@2020", EXAMPLE), ("wuhan@2017", "examples/wuhan-2017.yaml"),
               ("yiyang@2022", "examples/yiyang-2022.yaml"),
               ("examples/tutorial/rubric.yaml", "examples/tutorial/submission.yaml")]
FIGURE = re.compile(r"\d[\d.,]*%?")


def _figures(text: str) -> set[str]:
    """Every figure written in ``text`` (``2307.5``, ``50%``, ``2017``), a guide's cut end left out."""
    return set(FIGURE.findall(re.sub(r"\S* …", "", text)))


@pytest.mark.parametrize("columns", [80, 120])
@pytest.mark.parametrize(("reference", "submission"), WIDE_TABLES)
def test_table_fits_the_width_with_every_column_and_no_figure_split(reference: str, submission: str, columns: int) -> None:
    from rich.cells import cell_len

    out = rubric("score", reference, submission, COLUMNS=str(columns)).stdout
    lines = out.splitlines()
    assert max(cell_len(line) for line in lines) <= columns
    rule = next(n for n, line in enumerate(lines) if set(line) == {"─"})
    header = " ".join(lines[2:rule])
    assert all(name in header.split() for name in ("指标", "分值", "指标值", "实际完成值", "得分", "扣分")), header
    model = engine.load_rubric(reference if reference.endswith(".yaml") else f"rubrics/{reference.replace('@', '/')}.yaml")
    want = engine.score(model, engine.load_submission(submission, model))
    written, at = set(), rule
    reasons = squash("".join(re.sub(r"\s{3,}[\d.]+$", "", line) for line in lines))  # the Lost figures out
    for node in want.nodes():  # in table order: each row is the next line starting with its label
        at = next(n for n in range(at + 1, len(lines)) if lines[n].strip().startswith(node.label[:4]))
        row = lines[at]
        written |= _figures(node.label) | _figures(node.target or "") | _figures(node.actual or "")
        written |= {fixed(node.score, 2), fixed(node.lost, 2), str(node.weight)}
        assert fixed(node.score, 2) in row.split()  # the score on the label's first line, whole
        if node.lost:
            assert row.split()[-1] == fixed(node.lost, 2)  # the Lost column is there
        for short in (node.actual, node.target if node.kind != "judged" else None):
            if short and cell_len(short) <= 16:
                assert short in row, f"{short!r} not whole in {row!r}"
        for deduction in node.deductions:
            written |= _figures(deduction.reason) | {fixed(deduction.points, 2)}
            assert squash(deduction.reason) in reasons
    # a figure split over two lines leaves pieces (``23`` / ``07.5``, ``6548`` / ``.5``) that were never written
    shown = _figures("\n".join(lines[rule + 1:])) - {fixed(want.total, 2), fixed(want.max - want.total, 2), "100"}
    assert shown <= written, sorted(shown - written)


def test_a_narrow_terminal_still_draws_every_row(tmp_path: Path) -> None:
    # a reason long enough to wrap at 60 columns, with a figure that must not be split (below 60 the table is cropped)
    text = (ROOT / EXAMPLE).read_text(encoding="utf-8").replace(
        "reason: 预算编制的科学性扣1分}", "reason: 预算编制的科学性扣1分（年初预算4241万元，年中追加2307.5万元）}")
    out = rubric("score", "qingdao@2020", write(tmp_path / "long-reason.yaml", text), COLUMNS="60").stdout
    assert "总分 Total: 96.65 / 100" in out and "Traceback" not in out
    assert "年初预算4241万元" in out and "2307.5万元" in out  # the reason wraps, its figures stay whole


def test_a_terminal_too_narrow_for_the_table_gets_whole_figures() -> None:
    # at 50 columns the table needs a little more than the width: the terminal wraps it, nothing is cut
    out = rubric("score", "qingdao@2020", EXAMPLE, COLUMNS="50").stdout
    assert [line.split()[-2:] for line in out.splitlines() if line.startswith(" 决策")] == [["17.25", "2.75"]]


# -- the other formats -------------------------------------------------------------------------
def test_json_is_the_result_shape() -> None:
    result = rubric("score", "qingdao@2020", EXAMPLE, "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data == json.loads(json.dumps(expected().to_dict()))
    assert data["total"] == 96.65 and data["grade"] == "优"


def test_json_of_several_submissions_is_a_list(tmp_path: Path) -> None:
    lower = lower_copy(tmp_path)
    data = json.loads(rubric("score", "qingdao@2020", EXAMPLE, lower, "-f", "json").stdout)
    assert [d["total"] for d in data] == [float(expected().total), float(expected(lower).total)]


def test_csv_is_one_row_per_submission_with_level_one_scores(tmp_path: Path) -> None:
    lower = lower_copy(tmp_path)
    result = rubric("score", "qingdao@2020", EXAMPLE, lower, "--format", "csv")
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    model = engine.load_rubric(RUBRIC)
    assert [row["位置 location"] for row in rows] == [EXAMPLE, lower]
    for row, path in zip(rows, (EXAMPLE, lower), strict=True):
        want = expected(path)
        assert (row["项目 subject"], row["状态 status"], row["总分 total"], row["等级 grade"]) == (
            want.subject, "ok", fixed(want.total, 2), want.grade)
        assert [row[f"{n.label} 得分"] for n in model.indicators] == [fixed(n.score, 2) for n in want.indicators]


def test_csv_of_several_files_keeps_the_failed_ones_like_a_batch(tmp_path: Path) -> None:
    """Nothing is silently lost: a file that fails is a row with status 'failed' and its problems."""
    broken, _ = broken_copy(tmp_path)
    files = rubric("score", "qingdao@2020", EXAMPLE, broken, "-f", "csv")
    assert files.exit_code == 1 and "values.services_done" in files.stderr
    rows = list(csv.DictReader(io.StringIO(files.stdout)))
    assert [(row["位置 location"], row["状态 status"]) for row in rows] == [(EXAMPLE, "ok"), (broken, "failed")]
    assert "values.services_done: expected a whole number" in rows[1]["原因 reason"]
    folder = tmp_path / "folder"
    folder.mkdir()
    for name, path in (("a.yaml", EXAMPLE), ("b.yaml", broken)):
        (folder / name).write_bytes(Path(path).read_bytes())
    batch = list(csv.reader(io.StringIO(rubric("score", "qingdao@2020", str(folder), "-f", "csv").stdout)))
    assert list(csv.reader(io.StringIO(files.stdout)))[0] == batch[0]  # the same columns as a batch


def test_markdown_is_a_pasteable_table() -> None:
    result = rubric("score", "qingdao@2020", EXAMPLE, "--format", "markdown")
    lines = result.stdout.splitlines()
    table = [line for line in lines if line.startswith("|")]
    assert table[0] == "| 指标 Indicator | 分值 Weight | 指标值 Target | 实际完成值 Actual | 得分 Score | 扣分 Lost |"
    assert all(line.count("|") - line.count("\\|") == 7 for line in table)
    assert "| **决策** | 20 |  |  | **17.25** | 2.75 |" in lines
    assert "| **总分 Total** | 100 |  |  | **96.65** | 3.35 |" in lines
    assert any("绩效目标合理性扣0.75 |" in line and line.endswith("| 0.75 |") for line in table)


# -- several submissions, summaries ------------------------------------------------------------
def test_several_submissions_end_with_a_summary_and_counts(tmp_path: Path) -> None:
    lower = lower_copy(tmp_path)
    result = rubric("score", "qingdao@2020", EXAMPLE, lower)
    assert result.exit_code == 0
    summary = result.stdout[result.stdout.index("汇总 Summary"):]
    assert re.search(rf"1\s+2020年度口岸大通关补助资金项目\s+{EXAMPLE}\s+96.65\s+优", summary)
    assert f"{fixed(expected(lower).total, 2)}" in summary
    assert result.stdout.count("指标 Indicator") == 2  # two breakdowns before it


def test_summary_flag_prints_only_the_summary(tmp_path: Path) -> None:
    result = rubric("score", "qingdao@2020", EXAMPLE, lower_copy(tmp_path), "--summary")
    assert "指标 Indicator" not in result.stdout
    assert "优 2 · 良 0 · 中 0 · 差 0" in result.stdout


def test_a_broken_submission_exits_2_with_a_located_message(tmp_path: Path) -> None:
    path, text = broken_copy(tmp_path)
    result = rubric("score", "qingdao@2020", path)
    assert result.exit_code == 2
    line = line_of(text, "30家")
    assert result.stderr == (f'{path}:{line}:3: values.services_done: expected a whole number, got "30家"; '
                             "write the number alone\n")
    assert result.stdout == "" and "Traceback" not in result.output


def test_one_broken_among_several_exits_1_and_the_others_are_scored(tmp_path: Path) -> None:
    broken, _ = broken_copy(tmp_path)
    lower = lower_copy(tmp_path)
    result = rubric("score", "qingdao@2020", EXAMPLE, broken, lower, "--summary", COLUMNS="300")  # long tmp paths
    assert result.exit_code == 1
    assert "values.services_done" in result.stderr
    assert re.search(rf"2\s+2020年度口岸大通关补助资金项目\s+{re.escape(broken)}\s+—\s+not scored", result.stdout)  # its subject kept
    assert "96.65" in result.stdout and fixed(expected(lower).total, 2) in result.stdout
    assert "优 2 · 良 0 · 中 0 · 差 0 · not scored 1" in result.stdout
    as_json = rubric("score", "qingdao@2020", EXAMPLE, broken, lower, "-f", "json")
    assert as_json.exit_code == 1
    assert [d["subject"] for d in json.loads(as_json.stdout)] == [expected().subject, expected(lower).subject]
    summary = json.loads(rubric("score", "qingdao@2020", broken, lower, "-f", "json", "--summary").stdout)
    assert summary["submissions"][0]["subject"] == "2020年度口岸大通关补助资金项目" and summary["submissions"][0]["errors"]


def test_missing_files_and_unknown_rubrics_exit_2() -> None:
    missing = rubric("score", "qingdao@2020", "nowhere.yaml")
    assert (missing.exit_code, missing.stderr) == (2, "nowhere.yaml: no such file\n")
    unknown = rubric("score", "qingdo@2020", EXAMPLE)
    assert unknown.exit_code == 2
    assert unknown.stderr == "qingdo@2020: no rubric 'qingdo' in rubrics; did you mean 'qingdao'?\n"
    version = rubric("score", "qingdao@2019", EXAMPLE)
    assert (version.exit_code, version.stderr) == (2, "qingdao@2019: rubric 'qingdao' has no version 2019; versions: 2020\n")


def test_outside_the_repository_a_reference_says_the_rubrics_folder_is_missing(tmp_path: Path,
                                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = rubric("score", "qingdao", str(ROOT / EXAMPLE))
    assert result.exit_code == 2
    assert result.stderr.startswith("qingdao: no rubric 'qingdao': the rubrics folder 'rubrics' does not exist here; ")
    assert "--rubrics DIR or RUBRIC_PATH" in result.stderr
    assert rubric("score", "qingdao", str(ROOT / EXAMPLE), "--rubrics", str(ROOT / "rubrics")).exit_code == 0


def test_usage_errors_exit_2() -> None:
    assert rubric("score", "qingdao@2020").exit_code == 2
    assert rubric("score", "qingdao@2020", EXAMPLE, "--format", "pdf").exit_code == 2


def test_rubrics_directory_from_option_or_environment(tmp_path: Path) -> None:
    (tmp_path / "mine" / "qingdao").mkdir(parents=True)
    (tmp_path / "mine" / "qingdao" / "2020.yaml").write_text((ROOT / RUBRIC).read_text(encoding="utf-8"), encoding="utf-8")
    by_option = rubric("score", "qingdao@2020", EXAMPLE, "--rubrics", str(tmp_path / "mine"), "-f", "json")
    by_env = rubric("score", "qingdao", EXAMPLE, "-f", "json", RUBRIC_PATH=str(tmp_path / "mine"))
    assert by_option.exit_code == by_env.exit_code == 0
    assert json.loads(by_option.stdout)["total"] == json.loads(by_env.stdout)["total"] == 96.65
    assert rubric("score", "wuhan@2017", EXAMPLE, RUBRIC_PATH=str(tmp_path / "mine")).exit_code == 2


def test_a_rubric_filed_under_another_id_is_unusable(tmp_path: Path) -> None:
    (tmp_path / "qd").mkdir()
    (tmp_path / "qd" / "1.yaml").write_text((ROOT / RUBRIC).read_text(encoding="utf-8"), encoding="utf-8")
    result = rubric("score", "qd@1", EXAMPLE, "--rubrics", str(tmp_path))
    assert result.exit_code == 2
    assert "filed as qd@1 but says id 'qingdao', version '2020'" in result.stderr


# -- output files ------------------------------------------------------------------------------
def test_output_file_gets_exactly_what_stdout_would(tmp_path: Path) -> None:
    target = tmp_path / "out" / "result.json"
    target.parent.mkdir()
    result = rubric("score", "qingdao@2020", EXAMPLE, "-f", "json", "-o", str(target))
    assert result.exit_code == 0 and result.stdout == ""
    assert target.read_text(encoding="utf-8") == rubric("score", "qingdao@2020", EXAMPLE, "-f", "json").stdout
    table = tmp_path / "out" / "result.txt"
    assert rubric("score", "qingdao@2020", EXAMPLE, "-o", str(table), FORCE_COLOR="1").exit_code == 0  # never in files
    assert "96.65 / 100" in table.read_text(encoding="utf-8") and "\x1b[" not in table.read_text(encoding="utf-8")
    assert sorted(p.name for p in target.parent.iterdir()) == ["result.json", "result.txt"]


def test_a_failed_run_leaves_no_file_and_keeps_an_earlier_one(tmp_path: Path) -> None:
    broken, _ = broken_copy(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    assert rubric("score", "qingdao@2020", broken, "-f", "json", "-o", str(out / "new.json")).exit_code == 2
    assert list(out.iterdir()) == []
    (out / "old.json").write_text("earlier report", encoding="utf-8")
    assert rubric("score", "qingdao@2020", broken, "-o", str(out / "old.json")).exit_code == 2
    assert (out / "old.json").read_text(encoding="utf-8") == "earlier report"
    assert [p.name for p in out.iterdir()] == ["old.json"]


def test_an_unwritable_output_is_a_located_input_error(tmp_path: Path) -> None:
    result = rubric("score", "qingdao@2020", EXAMPLE, "-f", "csv", "-o", str(tmp_path / "no-such-dir" / "x.csv"))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{tmp_path / 'no-such-dir' / 'x.csv'}: cannot write the output here")


# -- internal errors ---------------------------------------------------------------------------
def test_a_bug_exits_3_and_says_internal_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(*args: object) -> None:
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(engine.scoring._Scorer, "result", explode)  # every scoring path goes through it
    result = rubric("score", "qingdao@2020", EXAMPLE)
    assert result.exit_code == 3
    assert result.stderr.startswith("rubric: internal error: ZeroDivisionError: boom\n")
    assert "please report it" in result.stderr.lower() and "Traceback" not in result.stderr
    with_trace = rubric("score", "qingdao@2020", EXAMPLE, RUBRIC_DEBUG="1")
    assert with_trace.exit_code == 3 and "Traceback" in with_trace.stderr


def test_a_write_that_fails_midway_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    from cli.output import write_atomic

    def disk_full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(engine.RubricError, match="No space left on device"):
        write_atomic(tmp_path / "report.csv", "subject,total\n")
    assert list(tmp_path.iterdir()) == []


def test_a_bug_while_rendering_leaves_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from cli import render_text

    def explode(*args: object) -> str:
        raise KeyError("bug")

    monkeypatch.setattr(render_text, "render_markdown", explode)
    result = rubric("score", "qingdao@2020", EXAMPLE, "-f", "markdown", "-o", str(tmp_path / "r.md"))
    assert result.exit_code == 3 and "internal error: KeyError" in result.stderr
    assert list(tmp_path.iterdir()) == []
