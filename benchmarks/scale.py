"""Scale: a million projects streamed from one CSV through the batch path, one process and every core.

    python benchmarks/scale.py                 # 1,000,000 rows (about 15 minutes on 2 busy cores)
    python benchmarks/scale.py --quick         # 50,000 rows
    python benchmarks/scale.py --rows 200000 --jobs 2

Generates the projects once into a temporary directory (``workload.stream``, written row by
row with the columns of :mod:`engine.rowtable`; at most three numbered deductions per
judgment; every 50th row broken in one of five ways, as in ``batch_memory.py``), then runs,
each as a fresh process, exactly what a user runs:

    rubric score qingdao@2020 projects.csv --format csv -o scored.csv --jobs 1
    rubric score qingdao@2020 projects.csv --format csv -o scored.csv --jobs 0   (every core)

Figures per run: rows per second (wall time of the whole command, start-up included); CPU
seconds of every process of the run (``wait4``: the command and its workers); peak memory
from ``VmHWM`` in /proc/<pid>/status, sampled every 0.1 s for the command and each worker
(not ``ru_maxrss``, which on Linux carries the peak of the process that forked and exec'd
it): the largest single process, the sum of every process's own peak (an upper bound of
what the run held at once: forked workers share pages with the parent), and that sum in the
first tenth of the run (``early``: flat means the peak is reached early and does not grow).

The machine may be busy with other work, which slows a run that needs two cores more than
one that needs one. So each process's time is split (/proc/<pid>/schedstat) into running,
waiting for a CPU (held by another process: contention) and asleep (for the parallel
run's workers: waiting for rows, i.e. the reading and writing process is the bottleneck);
the ``others`` column gives the cores that other processes used during the run
(/proc/stat, all CPUs, less the run's own CPU seconds). Linux shares CPU fairly between
sessions (autogroups) before processes, so while another session keeps one core busy, the
run's session gets about one of two cores however many workers it starts. And
``idle_bound_speedup`` says what the same CPU work would give on an otherwise idle
machine: single CPU seconds / max(all CPU seconds / cores, the busiest process's CPU
seconds). It is an upper bound, not a measurement. Both outputs must be byte-identical, with every row
present and every broken row failed. The last line is one JSON object with the figures.
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]

import batch_memory  # noqa: E402
import workload  # noqa: E402

DEDUCTION_COLUMNS = 3  # numbered deductions per judgment; a row with more keeps its first three
TARGET_MB, TARGET_SPEEDUP = 300, 1.7


def generate(rows: int, target: Path, seed: int = 1) -> int:
    """``rows`` projects as CSV, written as they are made; the number of broken rows."""
    columns = batch_memory.header(DEDUCTION_COLUMNS)
    broken = 0
    with target.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(columns)
        for n, submission in enumerate(workload.stream(rows, seed), 1):
            defect = n // batch_memory.BROKEN_EVERY if n % batch_memory.BROKEN_EVERY == 0 else None
            broken += defect is not None
            row = batch_memory.flat(submission, columns, defect)
            writer.writerow(["" if value is None else value for value in row.values()])
    return broken


# -- one run, watched --------------------------------------------------------------------------
@dataclass
class Run:
    jobs: int
    pid: int = 0
    started: float = 0.0
    seconds: float = 0.0
    cpu_seconds: float = 0.0
    peak_mb: float = 0.0  # the largest single process's VmHWM
    total_peak_mb: float = 0.0  # Σ of each process's VmHWM
    early_peak_mb: float = 0.0  # the same, in the first tenth of the run
    processes: int = 0
    code: int = 0
    load: tuple[float, float] = (0.0, 0.0)  # 1-minute load average before and after
    others: float = 0.0  # cores used by other processes during the run, on average
    peaks: dict[int, int] = field(default_factory=dict)  # pid → VmHWM (kB)
    cpu: dict[int, float] = field(default_factory=dict)  # pid → CPU seconds, last seen
    waited: dict[int, float] = field(default_factory=dict)  # pid → seconds runnable but not running, last seen


def run(source: Path, target: Path, jobs: int) -> Run:
    command = [sys.executable, "-m", "cli.main", "score", "qingdao@2020", str(source), "--format", "csv",
               "-o", str(target), "--jobs", str(jobs), "--rubrics", str(ROOT / "rubrics")]
    figures = Run(jobs, load=(os.getloadavg()[0], 0.0))
    busy_before = _busy_seconds()
    with open(target.with_suffix(".stderr"), "w") as errors:
        began = time.perf_counter()
        process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=errors)
        figures.pid, figures.started = process.pid, began
        done = threading.Event()
        samples: list[tuple[float, int]] = []  # (seconds since start, Σ VmHWM kB)
        watcher = threading.Thread(target=_watch, args=(process.pid, figures, done, began, samples))
        watcher.start()
        _, status, usage = os.wait4(process.pid, 0)
        figures.seconds = time.perf_counter() - began
        process.returncode = os.waitstatus_to_exitcode(status)
        done.set()
        watcher.join()
    figures.code = process.returncode
    figures.cpu_seconds = usage.ru_utime + usage.ru_stime
    figures.others = max(_busy_seconds() - busy_before - figures.cpu_seconds, 0.0) / figures.seconds
    figures.peak_mb = max(figures.peaks.values(), default=0) / 1024
    figures.total_peak_mb = sum(figures.peaks.values()) / 1024
    figures.early_peak_mb = max((kb for t, kb in samples if t <= figures.seconds / 10), default=0) / 1024
    figures.processes = len(figures.peaks)
    figures.load = (figures.load[0], os.getloadavg()[0])
    return figures


def _watch(pid: int, figures: Run, done: threading.Event, began: float, samples: list[tuple[float, int]]) -> None:
    """Every 0.1 s: the VmHWM and CPU seconds of the command and each of its children, per process."""
    peaks, tick = figures.peaks, os.sysconf("SC_CLK_TCK")
    while not done.wait(0.1):
        for each in [pid, *_children(pid)]:
            hwm = _hwm_kb(each)
            if hwm:
                peaks[each] = max(peaks.get(each, 0), hwm)
            try:  # utime and stime: fields 14 and 15, after the command name in parentheses
                fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
                figures.cpu[each] = (int(fields[11]) + int(fields[12])) / tick
                figures.waited[each] = sum(int(Path(f"/proc/{each}/task/{task}/schedstat").read_text().split()[1])
                                           for task in os.listdir(f"/proc/{each}/task")) / 1e9
            except (OSError, IndexError, ValueError):
                pass
        samples.append((time.perf_counter() - began, sum(peaks.values())))


def _busy_seconds() -> float:
    """CPU seconds spent by every process on every CPU since boot (user, nice, system, irq, softirq, steal)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return (sum(fields[:8]) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")  # less idle and iowait


def _children(pid: int) -> list[int]:
    try:
        return [int(child) for task in os.listdir(f"/proc/{pid}/task")
                for child in Path(f"/proc/{pid}/task/{task}/children").read_text().split()]
    except OSError:
        return []


def _hwm_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


# -- checking and reporting --------------------------------------------------------------------
def check(target: Path, rows: int, broken: int) -> tuple[str, str]:
    """'ok' when every row is present and exactly the broken ones failed; and the file's sha256."""
    digest, count, failed = hashlib.sha256(), 0, 0
    with target.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    with target.open(encoding="utf-8-sig", newline="") as stream:
        reader = csv.reader(stream)
        next(reader)
        for row in reader:
            count, failed = count + 1, failed + (row[3] == "failed")
    verdict = "ok" if (count, failed) == (rows, broken) else f"{count:,} rows, {failed:,} failed"
    return verdict, digest.hexdigest()


def report(rows: int, singles: list[Run], parallels: list[Run], same: bool, checks: list[str]) -> dict[str, Any]:
    """The table of every run, then the figures of the fastest run of each kind; the JSON figures."""
    rate = lambda r: rows / r.seconds  # noqa: E731
    print(f"{'run':<12} {'procs':>5} {'rows/s':>8} {'seconds':>8} {'CPU s':>8} {'peak MB':>8} "
          f"{'Σ peak MB':>10} {'early MB':>9} {'others':>7} {'load':>10}  check")
    for n, r in enumerate(sorted(singles + parallels, key=lambda r: r.started), 1):
        name = f"{'single' if r.jobs == 1 else f'jobs {r.jobs or chr(8734)}'} #{n}"
        print(f"{name:<12} {r.processes:>5} {rate(r):>8,.0f} {r.seconds:>8.1f} {r.cpu_seconds:>8.1f} {r.peak_mb:>8.1f} "
              f"{r.total_peak_mb:>10.1f} {r.early_peak_mb:>9.1f} {r.others:>7.2f} {r.load[0]:>4.1f}→{r.load[1]:<4.1f}  "
              f"{checks[n - 1]} (exit {r.code})")
    single, parallel = min(singles, key=lambda r: r.seconds), min(parallels, key=lambda r: r.seconds)
    speedup, workers = rate(parallel) / rate(single), parallel.processes - 1
    parent = parallel.cpu.get(parallel.pid, 0.0)
    bound = single.cpu_seconds / max(parallel.cpu_seconds / _cores(), max(parallel.cpu.values(), default=1e-9))
    print(f"speedup {speedup:.2f}× with {workers} workers, fastest run of each kind (target ≥ {TARGET_SPEEDUP}×); "
          f"outputs identical: {same}\n"
          f"CPU: single {single.cpu_seconds:.1f} s; parallel {parallel.cpu_seconds:.1f} s, of which the reading and "
          f"writing process {parent:.1f} s; on an idle {_cores()}-core machine at most {bound:.2f}×")
    print(f"single process: {_split(single, single.cpu)}")
    print(f"workers: {_split(parallel, {pid: cpu for pid, cpu in parallel.cpu.items() if pid != parallel.pid})}")
    peak = lambda runs, what: round(max(getattr(r, what) for r in runs), 1)  # noqa: E731
    return {"rows": rows, "workers": workers, "single_per_s": round(rate(single)), "parallel_per_s": round(rate(parallel)),
            "parallel_speedup": round(speedup, 2), "idle_bound_speedup": round(bound, 2),
            "single_peak_mb": peak(singles, "peak_mb"), "parallel_peak_mb": peak(parallels, "peak_mb"),
            "parallel_total_peak_mb": peak(parallels, "total_peak_mb"),
            "single_early_mb": peak(singles, "early_peak_mb"), "parallel_early_mb": peak(parallels, "early_peak_mb"),
            "single_cpu_s": round(single.cpu_seconds, 1), "parallel_cpu_s": round(parallel.cpu_seconds, 1),
            "parallel_parent_cpu_s": round(parent, 1), "single_cpu_wait_s": round(sum(single.waited.values()), 1),
            "parallel_cpu_wait_s": round(sum(parallel.waited.values()), 1), "runs_each": len(singles),
            "single_others_cores": round(single.others, 2), "parallel_others_cores": round(parallel.others, 2),
            "outputs_identical": same, "all_rows_ok": all(c == "ok" for c in checks),
            "memory_met": peak(singles + parallels, "total_peak_mb") < TARGET_MB,
            "speedup_met": speedup >= TARGET_SPEEDUP}


def _split(run: Run, cpu: dict[int, float]) -> str:
    """Of the processes' time together: running, waiting for a CPU, asleep (as shares of n × wall time)."""
    whole = run.seconds * max(len(cpu), 1)
    running, waiting = sum(cpu.values()), sum(run.waited.get(pid, 0.0) for pid in cpu)
    asleep = max(whole - running - waiting, 0.0)
    return (f"{running / whole:.0%} running, {waiting / whole:.0%} waiting for a CPU, "
            f"{asleep / whole:.0%} asleep (of {len(cpu)} × {run.seconds:.0f} s)")


def _wait_idle(limit: float) -> None:
    """Until other processes used under 0.15 cores for 3 seconds, or ``limit`` seconds have passed."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        before = _busy_seconds()
        time.sleep(3)
        if (_busy_seconds() - before) / 3 < 0.15:
            return
    if limit:
        print(f"the machine stayed busy for {limit:.0f} s; measuring anyway", flush=True)


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--quick", action="store_true", help="50,000 rows")
    parser.add_argument("--jobs", type=int, default=0, help="workers of the parallel run (default 0: every core)")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each kind, taking turns; the fastest counts")
    parser.add_argument("--wait-idle", type=float, default=0, metavar="SECONDS",
                        help="before each run, wait up to SECONDS for other processes to leave both cores free")
    args = parser.parse_args()
    if args.jobs == 1:
        parser.error("--jobs 1 is the single-process run itself; give 0 (every core) or 2 and more")
    rows = 50_000 if args.quick else args.rows
    with tempfile.TemporaryDirectory(prefix="rubric-scale-") as scratch:
        directory = Path(scratch)
        source = directory / "projects.csv"
        began = time.perf_counter()
        broken = generate(rows, source)
        print(f"generated {rows:,} rows ({broken:,} broken), {source.stat().st_size / 2**20:,.0f} MB, "
              f"in {time.perf_counter() - began:.0f} s", flush=True)
        runs: dict[int, list[Run]] = {1: [], args.jobs: []}
        verdicts = []
        for _ in range(args.repeat):
            for jobs, found in runs.items():
                _wait_idle(args.wait_idle)
                found.append(run(source, directory / "scored.csv", jobs))
                verdicts.append(check(directory / "scored.csv", rows, broken))
                print(f"{'single' if jobs == 1 else f'jobs {jobs}'}: {found[-1].seconds:.1f} s", flush=True)
        figures = report(rows, runs[1], runs[args.jobs], len({digest for _, digest in verdicts}) == 1,
                         [verdict for verdict, _ in verdicts])
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
