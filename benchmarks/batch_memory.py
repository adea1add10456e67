"""Batch scoring memory: does peak memory stay flat as the number of projects grows?

Generates N Qingdao 2020 projects (``workload.submissions``; 2% deliberately broken in five
different ways) as a CSV and as a one-project-per-row .xlsx, then scores each into a
workbook and into a CSV exactly as ``rubric score qingdao@2020 projects.csv --format xlsx
-o scored.xlsx`` does. Each run is a fresh child process, so its figures are its own:

- ``traced``: peak Python heap seen by ``tracemalloc`` while reading, scoring and writing;
- ``peak RSS``: the child's peak resident set (``VmHWM`` in /proc/self/status, interpreter
  included; not ``ru_maxrss``, which on Linux carries the parent's peak across fork and exec).

Afterwards the child checks the output: every good row present with status ok, every
broken row present with status failed at the right line/row. Not a timed test; times are
printed for information only.

    python benchmarks/batch_memory.py                 # 1,000 and 10,000 projects
    python benchmarks/batch_memory.py --sizes 500 5000
"""
from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]

import workload  # noqa: E402

INPUTS = ["budget", "received", "spent", "services_done", "quality_rate", "timely_rate", "cost_cut",
          "import_time_cut", "export_time_cut", "freight_rank", "satisfaction"]
PERCENTS = {"quality_rate", "timely_rate", "cost_cut", "import_time_cut", "export_time_cut", "satisfaction"}
BROKEN_EVERY = 50
DEFECTS = (  # (column, bad value): what a unit really types
    ("services_done", "30家"), ("budget", None), ("judgment.basis.points", Decimal(10)),
    ("satisfaction", "约九成"), ("judgment.budgeting.deduction", Decimal("0.5")),
)


# -- generating -------------------------------------------------------------------------------
def header(deductions: int) -> list[str]:
    judged = []
    for key in workload.JUDGED:
        judged += [f"judgment.{key}.points", f"judgment.{key}.deduction", f"judgment.{key}.reason"]
        judged += [f"judgment.{key}.{part}.{n}" for n in range(2, deductions + 1) for part in ("deduction", "reason")]
    return ["subject", *INPUTS, *judged]


def flat(submission: dict[str, Any], columns: list[str], broken: int | None) -> dict[str, Any]:
    """One project as a row: value columns, then points / deduction / reason columns per judgment."""
    row: dict[str, Any] = {"subject": submission["subject"], **submission["values"]}
    for key, judgment in submission["judgments"].items():
        row[f"judgment.{key}.points"] = judgment.get("points")
        cuts = judgment["deductions"] or [{"points": Decimal(0), "reason": ""}]
        for n, cut in enumerate(cuts, 1):
            suffix = "" if n == 1 else f".{n}"
            row[f"judgment.{key}.deduction{suffix}"], row[f"judgment.{key}.reason{suffix}"] = cut["points"], cut["reason"]
    if broken is not None:
        column, value = DEFECTS[broken % len(DEFECTS)]
        row[column] = value
        if column == "judgment.budgeting.deduction":
            row["judgment.budgeting.reason"] = ""  # a deduction with no 扣分原因
    return {column: row.get(column) for column in columns}


def generate(count: int, directory: Path) -> tuple[Path, Path, list[int]]:
    """projects.csv and projects.xlsx with the same rows; the data row numbers (1-based) that are broken."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    projects = workload.submissions(count, seed=6)
    columns = header(max(len(j["deductions"]) for s in projects for j in s["judgments"].values()))
    broken = [n for n in range(1, count + 1) if n % BROKEN_EVERY == 0]
    book = Workbook(write_only=True)
    sheet = book.create_sheet("projects")
    sheet.append(columns)
    with (directory / "projects.csv").open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(columns)
        for n, submission in enumerate(projects, 1):
            row = flat(submission, columns, n // BROKEN_EVERY if n % BROKEN_EVERY == 0 else None)
            writer.writerow(["" if v is None else v for v in row.values()])
            sheet.append([_xlsx_cell(WriteOnlyCell(sheet), key, value) for key, value in row.items()])
    book.save(directory / "projects.xlsx")
    return directory / "projects.csv", directory / "projects.xlsx", broken


def _xlsx_cell(cell: Any, key: str, value: Any) -> Any:
    """Numbers as numbers; a percent given as "97.5%" becomes 0.975 in a % cell, as Excel stores it."""
    if isinstance(value, str) and value.endswith("%") and key in PERCENTS:
        cell.value, cell.number_format = float(Decimal(value[:-1]) / 100), "0.00%"
    elif isinstance(value, Decimal):
        cell.value = int(value) if value == value.to_integral_value() else float(value)
    else:
        cell.value = value
    return cell


# -- measuring (in a child process) -------------------------------------------------------------------
def child(source: str, fmt: str, target: str, broken: list[int]) -> dict[str, Any]:
    import engine
    from cli.batch_score import stream_scores

    rubric = engine.load_rubric(ROOT / "rubrics/qingdao/2020.yaml")
    tracemalloc.start()
    started = time.perf_counter()
    code = stream_scores(rubric, [source], fmt, Path(target), detail_sheets=100)
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {"code": code, "traced_mib": peak / 2**20, "rss_mib": peak_rss() / 1024, "seconds": elapsed,
            "check": check(Path(target), fmt, broken)}


def peak_rss() -> int:
    """This process's peak resident set in KiB (VmHWM; ru_maxrss where /proc is missing)."""
    try:
        status = Path("/proc/self/status").read_text(encoding="ascii")
        return int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:")))
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def check(target: Path, fmt: str, broken: list[int]) -> str:
    """'ok' if every good row is present as ok and every broken row as failed, in order."""
    statuses = []
    if fmt == "csv":
        with target.open(encoding="utf-8-sig", newline="") as stream:
            statuses = [(row[1], row[3]) for row in list(csv.reader(stream))[1:]]
    else:
        from openpyxl import load_workbook

        book = load_workbook(target, read_only=True)
        statuses = [(row[1], row[3]) for row in book["结果 results"].iter_rows(min_row=2, values_only=True)]
        book.close()
    failed = [n for n, (_, status) in enumerate(statuses, 1) if status == "failed"]
    if failed != broken:
        return f"failed rows {failed[:5]}… expected {broken[:5]}…"
    if sum(status == "ok" for _, status in statuses) != len(statuses) - len(broken):
        return "a good row is missing"
    return "ok"


def run(sizes: list[int]) -> None:
    print(f"{'projects':>9} {'input':>6} {'output':>6} {'traced MiB':>11} {'peak RSS MiB':>13} {'seconds':>8}  check")
    for count in sizes:
        with tempfile.TemporaryDirectory() as scratch:
            directory = Path(scratch)
            csv_in, xlsx_in, broken = generate(count, directory)
            for source in (csv_in, xlsx_in):
                for fmt in ("xlsx", "csv"):
                    target = directory / f"scored-{source.suffix[1:]}.{fmt}"
                    done = subprocess.run([sys.executable, __file__, "--child", str(source), fmt, str(target),
                                           json.dumps(broken)], capture_output=True, text=True)
                    if done.returncode != 0:
                        sys.exit(f"the run {source.name} → {fmt} failed:\n{done.stdout}{done.stderr}")
                    figures = json.loads(done.stdout.strip().splitlines()[-1])
                    print(f"{count:>9,} {source.suffix[1:]:>6} {fmt:>6} {figures['traced_mib']:>11.1f} "
                          f"{figures['rss_mib']:>13.1f} {figures['seconds']:>8.1f}  {figures['check']}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--child", nargs=4, metavar=("SOURCE", "FORMAT", "TARGET", "BROKEN"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        source, fmt, target, broken = args.child
        with open(os.devnull, "w") as quiet, contextlib.redirect_stderr(quiet):  # failed rows: counted by check()
            figures = child(source, fmt, target, json.loads(broken))
        print(json.dumps(figures))
    else:
        run(args.sizes)


if __name__ == "__main__":
    main()
