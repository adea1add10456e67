"""Property 8: adding a newer version never changes what ``id@older`` scores."""
from __future__ import annotations

import copy
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from strategies import Plan, plans, submissions, to_yaml

import engine

#: (older, newer) as version_key orders them: years, dotted numbers where text order would be wrong.
VERSIONS = [("2020", "2021"), ("1.9", "1.10"), ("2", "2.1"), ("9", "10"), ("2022", "2023"), ("1.2.9", "1.2.10")]


def _text(plan: Plan, rubric_id: str, version: str) -> str:
    data = copy.deepcopy(plan.data)
    data["id"], data["version"] = rubric_id, version
    return to_yaml(data)


def _score(path: Path, submission: dict[str, Any]) -> dict[str, Any]:
    rubric = engine.load_rubric(path)
    return engine.score(rubric, engine.submission_from_data(submission, rubric)).to_dict()


@given(plans(max_depth=2), plans(max_depth=2), st.sampled_from(VERSIONS), st.data())
def test_versions(old: Plan, new: Plan, versions: tuple[str, str], data: st.DataObject) -> None:
    older, newer = versions
    rubric_id = old.data["id"]
    submission = data.draw(submissions(old))
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "rubrics"
        (root / rubric_id).mkdir(parents=True)
        old_file = root / rubric_id / f"{older}.yaml"
        old_file.write_text(_text(old, rubric_id, older), encoding="utf-8")
        before = _score(engine.resolve(f"{rubric_id}@{older}", root), submission)
        assert engine.resolve(rubric_id, root) == old_file
        (root / rubric_id / f"{newer}.yaml").write_text(_text(new, rubric_id, newer), encoding="utf-8")
        after = _score(engine.resolve(f"{rubric_id}@{older}", root), submission)
        assert after == before == _score(old_file, submission)
        assert after["rubric"]["version"] == older
        assert engine.resolve(rubric_id, root) == root / rubric_id / f"{newer}.yaml", "id alone must mean the newest"
        assert engine.catalogue(root)[0].versions == (older, newer)
