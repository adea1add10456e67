"""``rubric audit`` in-process: exact exit codes, findings in every format."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from openpyxl import load_workbook
from typer.testing import CliRunner

from cli.main import app

CLAIMED = "examples/yiyang-2022-claimed.yaml"


def run(*args: str):
    return CliRunner().invoke(app, list(args), env={"COLUMNS": "200"})


def broken(tmp_path: Path, name: str = "bad.yaml") -> Path:
    """The Yiyang table with one claimed row (税收收入 20 → 18) and its total (100 → 98) changed."""
    text = Path(CLAIMED).read_text(encoding="utf-8").replace("tax: 20", "tax: 18").replace("total: 100 ", "total: 98 ")
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_clean_table_exits_0() -> None:
    result = run("audit", "yiyang@2022", CLAIMED)
    assert result.exit_code == 0, result.output
    assert "no findings (clean)" in result.stdout


def test_wrong_figures_exit_1_with_each_finding(tmp_path: Path) -> None:
    result = run("audit", "yiyang@2022", str(broken(tmp_path)), "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    found = {(f["kind"], f["indicator"]) for f in data["reports"][0]["findings"]}
    assert {("score_mismatch", "tax"), ("score_mismatch", "total"), ("met_but_lost", "tax")} <= found
    tax = next(f for f in data["reports"][0]["findings"] if f["kind"] == "score_mismatch" and f["indicator"] == "tax")
    assert (tax["claimed"], tax["computed"], tax["difference"], tax["severity"]) == ("18", "20", "-2", "error")


def test_batch_csv_has_one_row_per_finding_across_tables(tmp_path: Path) -> None:
    folder = tmp_path / "tables"
    folder.mkdir()
    broken(folder, "a.yaml")
    (folder / "b.yaml").write_text(Path(CLAIMED).read_text(encoding="utf-8"), encoding="utf-8")
    result = run("audit", "yiyang@2022", str(folder), "--format", "csv")
    assert result.exit_code == 1
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 4 and {row["subject"] for row in rows} == {"2022年度益阳海关运行维护经费（自评表）"}


def test_table_report_names_the_kind_and_the_figures(tmp_path: Path) -> None:
    result = run("audit", "yiyang@2022", str(broken(tmp_path)))
    assert result.exit_code == 1
    assert "[score_mismatch]" in result.stdout and "3 error(s), 1 warning(s)" in result.stdout


def test_xlsx_output_needs_a_file_and_writes_findings_and_counts(tmp_path: Path) -> None:
    assert run("audit", "yiyang@2022", CLAIMED, "--format", "xlsx").exit_code == 2
    out = tmp_path / "findings.xlsx"
    result = run("audit", "yiyang@2022", str(broken(tmp_path)), "--format", "xlsx", "-o", str(out))
    assert result.exit_code == 1
    book = load_workbook(out)
    assert book["findings"].max_row == 5
    counts = {row[0]: row[2] for row in book["counts"].iter_rows(min_row=2, values_only=True)}
    assert counts == {"met_but_lost": 1, "score_mismatch": 2, "no_reason": 1}


def test_an_unknown_claimed_indicator_is_unusable_input(tmp_path: Path) -> None:
    path = tmp_path / "typo.yaml"
    path.write_text(Path(CLAIMED).read_text(encoding="utf-8").replace("    tax: 20", "    taxes: 20"), encoding="utf-8")
    result = run("audit", "yiyang@2022", str(path))
    assert result.exit_code == 2
    assert "claims.scores.taxes: no indicator 'taxes'; did you mean 'tax'?" in result.stderr


def _claims_changed(tmp_path: Path, old: str, new: str) -> tuple[Path, int]:
    text = Path(CLAIMED).read_text(encoding="utf-8")
    assert old in text
    text = text.replace(old, new)
    path = tmp_path / "claims.yaml"
    path.write_text(text, encoding="utf-8")
    return path, text.splitlines().index(next(line for line in text.splitlines() if new.strip() in line)) + 1


def test_claim_errors_are_located_like_value_errors(tmp_path: Path) -> None:
    path, line = _claims_changed(tmp_path, "    tax: 20", "    tax: 二十")
    result = run("audit", "yiyang@2022", str(path))
    assert result.exit_code == 2
    assert result.stderr == f'{path}:{line}:5: claims.scores.tax: expected a number, got "二十"\n'
    path, line = _claims_changed(tmp_path, "  total: 100 ", "  totl: 100 ")
    result = run("audit", "yiyang@2022", str(path))
    assert result.stderr == f"{path}:{line}:3: claims.totl: unknown key 'totl'; did you mean 'total'?\n"
    path, line = _claims_changed(tmp_path, "  reasons: {}", "  reasons: [a, b]")
    assert run("audit", "yiyang@2022", str(path)).stderr == (
        f"{path}:{line}:3: claims.reasons: expected a mapping of indicator id → 偏差原因, got a list\n")


def test_claim_errors_in_a_table_row_name_the_row_and_column(tmp_path: Path) -> None:
    source = tmp_path / "tables.csv"
    facts = {"initial_budget": 350, "budget": 350, "spent": 350, "key_firms": 30, "smuggling_rank": 1,
             "tax_revenue": 3328.9, "clearance_time_cut": "50%", "satisfaction": "97%"}
    source.write_text(",".join(["subject", *facts, "claims.scores.tax"]) + "\n"
                      + ",".join(["甲", *map(str, facts.values()), "二十"]) + "\n", encoding="utf-8")
    from engine import load_rubric
    from engine.batch import iter_submissions

    (_, failed), = iter_submissions(source, load_rubric("rubrics/yiyang/2022.yaml"))
    assert [str(p) for p in failed.problems] == [f'{source}:2:10: claims.scores.tax: expected a number, got "二十"']


def test_an_unknown_top_level_key_lists_the_keys_a_submission_has(tmp_path: Path) -> None:
    path = tmp_path / "extra.yaml"
    path.write_text(Path(CLAIMED).read_text(encoding="utf-8") + "extra_top: 1\n", encoding="utf-8")
    result = run("audit", "yiyang@2022", str(path))
    assert result.exit_code == 2
    assert result.stderr.endswith("extra_top: unknown key 'extra_top'; expected one of subject, values, judgments, claims\n")


def test_a_table_without_claims_says_so_and_reports_no_claim_findings() -> None:
    result = run("audit", "examples/tutorial/rubric.yaml", "examples/tutorial/submission.yaml", "-f", "json")
    assert result.exit_code == 0
    report = json.loads(result.stdout)["reports"][0]
    assert (report["claims_given"], report["findings"]) == (False, [])
    table = run("audit", "examples/tutorial/rubric.yaml", "examples/tutorial/submission.yaml")
    assert "no claimed figures given" in table.stdout and "claimed 2" not in table.stdout


# -- figures, locations, failures, width ------------------------------------------------------
def underspent(tmp_path: Path, name: str = "under.yaml") -> Path:
    """The Yiyang table with 250 of 350 spent: 71.43% executed (unspent), every target met (ahead_of_budget)."""
    text = Path(CLAIMED).read_text(encoding="utf-8").replace("  spent: 350", "  spent: 250")
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_budget_findings_show_rates_as_rounded_percents_and_say_what_they_compare(tmp_path: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(run("audit", "yiyang@2022", str(underspent(tmp_path)), "-f", "csv").stdout)))
    unspent = next(row for row in rows if row["kind"] == "unspent")
    assert (unspent["figure"], unspent["compared_with"], unspent["difference"]) == ("71.43%", "80%", "-8.57%")
    assert unspent["figures"] == "budget execution rate vs lowest rate without a warning (1 − unspent)"
    ahead = next(row for row in rows if row["kind"] == "ahead_of_budget")
    assert (ahead["figure"], ahead["compared_with"], ahead["figures"]) == ("100%", "71.43%", "completion rate vs budget execution rate")
    markdown = run("audit", "yiyang@2022", str(underspent(tmp_path)), "-f", "markdown").stdout
    table = run("audit", "yiyang@2022", str(underspent(tmp_path))).stdout
    data = json.loads(run("audit", "yiyang@2022", str(underspent(tmp_path)), "-f", "json").stdout)
    found = next(f for f in data["reports"][0]["findings"] if f["kind"] == "unspent")
    assert (found["claimed"], found["computed"], found["unit"]) == ("0.7143", "0.8", "percent")
    for text in (markdown, table, json.dumps(data)):
        assert "0.71428571" not in text and "28.57142857" not in text
    assert "71.43%" in markdown and "71.43%" in table and "-8.57%" in table


def test_sum_mismatch_says_the_computed_figure_is_the_sum_of_the_claimed_parts(tmp_path: Path) -> None:
    text = Path(CLAIMED).read_text(encoding="utf-8").replace("total: 100 ", "total: 99 ")
    (tmp_path / "sum.yaml").write_text(text, encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(run("audit", "yiyang@2022", str(tmp_path / "sum.yaml"), "-f", "csv").stdout)))
    total = next(row for row in rows if row["kind"] == "sum_mismatch")
    assert (total["figure"], total["compared_with"], total["figures"]) == ("99", "100", "claimed total vs sum of the claimed scores")


def _folder(tmp_path: Path) -> Path:
    """Three variants of one subject (clean, wrong, underspent) and a file that cannot be audited."""
    folder = tmp_path / "tables"
    folder.mkdir()
    (folder / "a.yaml").write_text(Path(CLAIMED).read_text(encoding="utf-8"), encoding="utf-8")
    broken(folder, "b.yaml")
    underspent(folder, "c.yaml")
    (folder / "d.yaml").write_text("subject: 坏表\nvalues: {key_firms: 很多}\n", encoding="utf-8")
    return folder


def test_batch_rows_name_their_file_and_a_table_that_cannot_be_audited_is_a_row(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    result = run("audit", "yiyang@2022", str(folder), "-f", "csv")
    assert result.exit_code == 1 and "d.yaml" in result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert {row["location"] for row in rows} == {str(folder / name) for name in ("b.yaml", "c.yaml", "d.yaml")}
    failed = [row for row in rows if row["kind"] == "not_audited"]
    assert [(row["location"], row["subject"], row["severity"]) for row in failed] == [(str(folder / "d.yaml"), "坏表", "failed")]
    assert "values.key_firms" in failed[0]["message"]
    data = json.loads(run("audit", "yiyang@2022", str(folder), "-f", "json").stdout)
    assert [r["location"] for r in data["reports"]] == [str(folder / name) for name in ("a.yaml", "b.yaml", "c.yaml")]
    assert data["not_audited"][0]["location"] == str(folder / "d.yaml") and data["counts"]["not_audited"] == 1
    table = run("audit", "yiyang@2022", str(folder)).stdout
    assert f"{folder / 'd.yaml'}: not audited:" in table and "not_audited 1" in table


def test_audit_workbook_has_locations_numbers_and_the_failed_table(tmp_path: Path) -> None:
    out = tmp_path / "findings.xlsx"
    assert run("audit", "yiyang@2022", str(_folder(tmp_path)), "-f", "xlsx", "-o", str(out)).exit_code == 1
    book = load_workbook(out)
    findings = list(book["findings"].iter_rows(values_only=True))
    header = findings[0]
    unspent = dict(zip(header, next(row for row in findings if row[3] == "unspent")))
    assert (unspent["figure"], unspent["compared_with"]) == (0.7143, 0.8)  # numbers, so that sorting works
    cell = next(row for row in book["findings"].iter_rows() if row[3].value == "unspent")[header.index("figure")]
    assert cell.number_format == "0.00%"
    tax = dict(zip(header, next(row for row in findings if row[3] == "score_mismatch" and row[4] == "tax")))
    assert (tax["figure"], tax["compared_with"], tax["difference"]) == (18, 20, -2)
    assert any(row[3] == "not_audited" and row[0].endswith("d.yaml") for row in findings[1:])
    tables = [dict(zip(next(book["tables"].iter_rows(values_only=True)), row))
              for row in book["tables"].iter_rows(min_row=2, values_only=True)]
    assert tables[0]["status"] == "failed" and tables[0]["location"].endswith("d.yaml") and tables[0]["subject"] == "坏表"
    assert sorted(t["location"].rsplit("/", 1)[-1] for t in tables) == ["a.yaml", "b.yaml", "c.yaml", "d.yaml"]
    assert {t["computed total"] for t in tables[1:]} == {100, 97.14}  # numbers


def test_piped_audit_tables_take_the_width_of_score_tables(tmp_path: Path) -> None:
    from rich.cells import cell_len

    path = str(underspent(tmp_path))
    for columns, env in ((120, {"COLUMNS": None}), (100, {"COLUMNS": "100"}), (80, {"COLUMNS": "80"})):
        result = CliRunner().invoke(app, ["audit", "yiyang@2022", path], env={"FORCE_COLOR": None, **env})
        widest = max(cell_len(line) for line in result.stdout.splitlines())
        assert columns - 15 < widest <= columns, (columns, widest)
        assert "71.43%" in result.stdout and "28.57%" in result.stdout  # figures whole at every width
