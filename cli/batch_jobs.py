"""``rubric score BATCH --jobs N``: check and score a batch in N worker processes, in input order.

Two ways, by output:

- into a CSV file (or stdout), :mod:`cli.batch_blocks`: the parent cuts each CSV source into
  blocks of whole lines without parsing them; the workers parse, check, score and render the
  rows, and the parent only numbers and writes them (about a microsecond of its time per row,
  so that two workers are not held back by it);
- otherwise (a workbook, a table, JSON; and a batch's YAML files and workbook tables), here:
  the parent reads (:func:`engine.batch.iter_pending`: the CSV or sheet parsing and the header
  check) and writes the output; the workers build, check and score each submission, which is
  most of the work. Rows go out in chunks of :data:`CHUNK`.

Either way at most :data:`IN_FLIGHT` tasks per worker are out at once (:func:`in_order`), so
memory stays flat however long the batch is (``Pool.imap`` would not do: its feeder thread
reads the whole input ahead). Answers are collected in the order the tasks were sent, so the
output is the same, byte for byte, as with one process, and a failed row is reported with
its location as before.

A :class:`~engine.Result` defers its texts (closures), so it cannot be pickled as it is.
Workers send back a *summary* (the result's fields and its level-1 scores, as plain tuples:
cheap to pickle), which is all a results row and the tally read; while ``full()`` says that
full breakdowns are still wanted (the first project sheets of a workbook, a table or JSON),
they send the whole tree with its texts computed.
"""
from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, fields, replace
from itertools import islice
from multiprocessing import Pool
from multiprocessing.pool import AsyncResult
from typing import Any, TypeVar, Union

import engine
from engine import Problem, Result, Rubric, RubricError
from engine.batch import Pending, Table
from engine.result import NodeResult
from engine.rowtable import Columns

from .rows import Scored

CHUNK = 500  # rows per task: large enough that the pickling and the queues cost little per row
IN_FLIGHT = 3  # tasks per worker sent and not yet collected: one being worked on, the next ones queued
_HEAD = tuple(f.name for f in fields(Result) if f.name != "indicators")

Item = Union[Pending, tuple[Problem, ...]]  # a read error travels as its problems (exceptions pickle badly)
T = TypeVar("T")
Wire = tuple[Any, ...]  # ("failed", problems, subject) | ("full", Result) | ("summary", fields, level-1 nodes)


def workers(jobs: int) -> int:
    """``--jobs``: 0 means one worker per core this process may use."""
    if jobs > 0:
        return jobs
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def scored_in_parallel(rubric: Rubric, items: Iterable[tuple[str, Pending | RubricError]], jobs: int,
                       full: Callable[[], bool]) -> Iterator[Scored]:
    """Each item checked and scored by one of ``jobs`` workers; yielded in the order of ``items``."""
    tasks = (chunk_task(chunk, full()) for chunk in chunks(items))
    with pool(rubric, jobs) as processes:
        for locations, wires in in_order(processes, tasks, jobs):
            yield from unwired(locations, wires)


def pool(rubric: Rubric, jobs: int) -> Pool:
    """``jobs`` worker processes, each with the rubric loaded (see :func:`worker_rubric`)."""
    return Pool(jobs, initializer=_start, initargs=(rubric.file, rubric.sha256))


def in_order(processes: Pool, tasks: Iterable[tuple[Callable[..., Any], tuple[Any, ...], T]],
             jobs: int) -> Iterator[tuple[T, Any]]:
    """Each task ``(function, arguments, note)`` run by a worker; ``(note, answer)`` in the order of ``tasks``,
    with at most :data:`IN_FLIGHT` tasks per worker sent and not yet collected. A bug in a worker is raised
    here, as it would be in one process; a worker without its rubric raises the rubric's problems."""
    waiting: deque[tuple[T, AsyncResult[Any]]] = deque()
    for function, arguments, note in tasks:
        waiting.append((note, processes.apply_async(function, arguments)))
        while len(waiting) >= jobs * IN_FLIGHT:
            yield _answer(*waiting.popleft())
    while waiting:
        yield _answer(*waiting.popleft())


def _answer(note: T, task: AsyncResult[Any]) -> tuple[T, Any]:
    answer = task.get()
    if isinstance(answer, _Broken):
        raise RubricError(list(answer.problems))
    return note, answer


def chunks(items: Iterable[tuple[str, Pending | RubricError]]) -> Iterator[list[tuple[str, Pending | RubricError]]]:
    """Items in lists of :data:`CHUNK`."""
    items = iter(items)
    while chunk := list(islice(items, CHUNK)):
        yield chunk


def chunk_task(chunk: Sequence[tuple[str, Pending | RubricError]],
               full: bool) -> tuple[Callable[..., Any], tuple[Any, ...], list[str]]:
    """The task that scores ``chunk`` (a read error travels as its problems), noted with the locations."""
    plain = [item if isinstance(item, Pending) else tuple(item.problems) for _, item in chunk]
    return score_chunk, (plain, full), [where for where, _ in chunk]


def unwired(locations: list[str], wires: list[Wire]) -> Iterator[Scored]:
    """A chunk's answers (from :func:`score_chunk`) as :class:`Scored` items at their locations."""
    for where, wire in zip(locations, wires, strict=True):
        if wire[0] == "failed":
            yield Scored(where, None, *wire[1:])
        else:
            yield Scored(where, wire[1] if wire[0] == "full" else unpacked(wire[1], wire[2]))


# -- in the worker ----------------------------------------------------------------------------
@dataclass(frozen=True)
class _Broken:
    """The worker could not load the rubric (changed or removed since the parent loaded it)."""

    problems: tuple[Problem, ...]


_rubric: Rubric | None = None
_broken: _Broken | None = None
_plans: dict[Table, Columns] = {}


def _start(file: str, sha256: str) -> None:
    """Load the rubric once per worker, from the file the parent loaded it from."""
    global _rubric, _broken
    try:
        rubric = engine.load_rubric(file)
        if rubric.sha256 != sha256:
            raise RubricError(Problem("the rubric file changed while the batch was being scored; run again", file))
        _rubric = rubric
    except RubricError as exc:
        _broken = _Broken(tuple(exc.problems))


def worker_rubric() -> Rubric | _Broken:
    """In a worker: the rubric it loaded, or why it could not (which the parent raises)."""
    if _broken is not None or _rubric is None:
        return _broken or _Broken((Problem("the worker has no rubric"),))
    return _rubric


def worker_plans() -> dict[Table, Columns]:
    """In a worker: each table's column plan, made once."""
    return _plans


def score_chunk(items: Sequence[Item], full: bool) -> list[Wire] | _Broken:
    from .batch_score import score_item

    rubric = worker_rubric()
    if isinstance(rubric, _Broken):
        return rubric
    wires: list[Wire] = []
    for item in items:
        if isinstance(item, tuple):
            wires.append(("failed", item, ""))
            continue
        answer = score_item(rubric, "", item.check(rubric, _plans))  # the parent knows each location
        if answer.result is None:
            wires.append(("failed", answer.problems, answer.subject))
        elif full:
            wires.append(("full", replace(answer.result, indicators=tuple([node.computed() for node in answer.result.indicators]))))
        else:
            wires.append(("summary", *packed(answer.result)))
    return wires


def packed(result: Result) -> tuple[tuple[Any, ...], tuple[tuple[Any, ...], ...]]:
    """The summary of a result: its fields but the tree, and each level-1 indicator's score."""
    return (tuple(getattr(result, name) for name in _HEAD),
            tuple((n.id, n.label, n.level, n.weight, n.score, n.applicable) for n in result.indicators))


def unpacked(head: tuple[Any, ...], level1: tuple[tuple[Any, ...], ...]) -> Result:
    """A summary as a :class:`Result` whose indicators are the level-1 ones, without children or texts."""
    nodes = tuple(NodeResult(*node[:5], applicable=node[5]) for node in level1)
    return Result(indicators=nodes, **dict(zip(_HEAD, head)))

