"""Versions: rubrics/<id>/<version>.yaml resolved from id or id@version, versions compared as numbers."""
from __future__ import annotations

from pathlib import Path

import pytest

import engine
from engine_helpers import rubric_text, score

BODY = """
inputs:
  a: {type: percent, label: a}
indicators:
  - {id: x, label: X, weight: 100, rule: {kind: ratio, value: a}}
"""


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A rubrics directory: demo at 2, 2.9 and 2.10 (written unquoted), other at 2019 and 2020."""
    for rubric_id, versions in {"demo": ["2", "2.9", "2.10"], "other": ["2019", "2020"]}.items():
        (tmp_path / rubric_id).mkdir()
        for version in versions:
            text = rubric_text(BODY).replace("id: t\nversion: '1'", f"id: {rubric_id}\nversion: {version}")
            (tmp_path / rubric_id / f"{version}.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "empty").mkdir()
    (tmp_path / "README.md").write_text("not a rubric", encoding="utf-8")
    return tmp_path


def test_id_alone_resolves_to_the_newest_version_by_dotted_numbers(root):
    assert engine.resolve("demo", root) == root / "demo" / "2.10.yaml"
    assert engine.resolve("other", root) == root / "other" / "2020.yaml"


@pytest.mark.parametrize("version", ["2", "2.9", "2.10"])
def test_id_at_version(root, version):
    assert engine.resolve(f"demo@{version}", root) == root / "demo" / f"{version}.yaml"


def test_the_result_records_the_version_that_scored_it(root):
    rubric = engine.load_rubric(engine.resolve("demo", root))
    assert rubric.version == "2.10"  # written unquoted: still 2.10, not 2.1
    result = score(rubric, {"a": 100})
    assert result.to_dict()["rubric"]["version"] == "2.10"
    assert result.to_dict()["rubric"]["id"] == "demo"


def test_catalogue_lists_ids_with_versions_oldest_first(root):
    assert [(e.id, e.versions) for e in engine.catalogue(root)] == [("demo", ("2", "2.9", "2.10")), ("other", ("2019", "2020"))]
    assert engine.catalogue(root / "nowhere") == []


def test_unknown_id_with_did_you_mean(root):
    with pytest.raises(engine.ResolveError) as info:
        engine.resolve("dmeo@2", root)
    [problem] = info.value.problems
    assert problem.message == f"no rubric 'dmeo' in {root}; did you mean 'demo'?"
    assert problem.file == "dmeo@2"


def test_a_missing_rubrics_folder_is_said_with_how_to_point_at_one(root):
    with pytest.raises(engine.ResolveError) as info:
        engine.resolve("demo@2", root / "nowhere")
    [problem] = info.value.problems
    assert problem.message == (f"no rubric 'demo': the rubrics folder '{root / 'nowhere'}' does not exist here; point at "
                               "the folder holding <id>/<version>.yaml with --rubrics DIR or RUBRIC_PATH, or give the "
                               "rubric's file")


def test_unknown_version_lists_the_versions(root):
    with pytest.raises(engine.ResolveError) as info:
        engine.resolve("demo@3", root)
    assert info.value.problems[0].message == "rubric 'demo' has no version 3; versions: 2, 2.9, 2.10"


@pytest.mark.parametrize("reference", ["Demo!", "demo@", "demo@2@3", "../demo"])
def test_a_malformed_reference(root, reference):
    with pytest.raises(engine.ResolveError):
        engine.resolve(reference, root)


def test_a_path_is_taken_as_it_is(root):
    path = root / "demo" / "2.9.yaml"
    assert engine.resolve(str(path), root) == path
    with pytest.raises(engine.ResolveError, match="no such rubric file"):
        engine.resolve(str(root / "demo" / "9.yaml"), root)


def test_version_ordering():
    from engine.repository import version_key
    ordered = sorted(["2.10", "2.9", "10", "2", "2.9.1", "1.0"], key=version_key)
    assert ordered == ["1.0", "2", "2.9", "2.9.1", "2.10", "10"]


def test_a_rubric_filed_under_another_id_or_version_is_refused(tmp_path):
    source = Path("rubrics/yiyang/2022.yaml").read_text(encoding="utf-8")
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "2024.yaml").write_text(source, encoding="utf-8")
    with pytest.raises(engine.ResolveError) as error:
        engine.load_reference("other@2024", tmp_path)
    assert "filed as other@2024 but says id 'yiyang', version '2022'" in str(error.value)
    assert engine.load_reference("yiyang@2022", "rubrics").version == "2022"
    assert engine.load_reference(str(tmp_path / "other" / "2024.yaml"), tmp_path).id == "yiyang"  # a path is taken as given
