"""The docs cannot rot: every marked snippet in README.md and docs/ still does what the docs say.

Markers are the info strings of fenced blocks (they render as ordinary code in Markdown):

- ```` ```yaml rubric ````: a complete rubric. It loads, and its ``cases`` pass.
- ```` ```yaml fragment ````: part of a rubric (inputs, derived, indicators, veto, cases …). The test
  appends ``id``/``version``/``title``, the total of its level-1 weights and one grade band
  covering 0..total (unless the fragment gives them), then checks it like a rubric. Appending
  keeps the snippet's own line numbers.
- ```` ```yaml tutorial ````: a piece of the tutorial rubric. Joined in order, the pieces of
  docs/authoring.md are exactly ``examples/tutorial/rubric.yaml``.
- ```` ```yaml submission ```` (optionally ``rubric=PATH``): a submission, checked and scored against
  PATH or else the nearest rubric or fragment above it in the same file.
- the word ``error`` after any of these: loading (or scoring) must fail, and the ```` ```text ````
  block right after lists the exact messages, one per line.
- ```` ```text generated=NAME ````: the messages the generator ``NAME`` below produces (for inputs
  that cannot be shown as text: a non-UTF-8 file, a huge file, a missing file).
- ```` ```text resolve=REF ````: the messages of resolving the rubric reference REF from ``rubrics/``.
- ```` ```python run ````: run in order, in one namespace, from the repository root; a
  ```` ```text output ```` block right after is its exact standard output.
- ```` ```console ````: each ``$ rubric …`` line runs in-process through typer's CliRunner, in the
  order of the docs, in a sandbox copy of examples/, rubrics/ and docs/ (so files one command writes
  are there for the next). The lines after it (up to the next ``$``) are its output, compared with
  whitespace runs collapsed; a line ``...`` stands for any number of lines. A following
  ``$ echo $?`` line gives the exit code. A command shown with no output is an illustration: it
  must succeed (exit 0, or the echoed code), and what it prints is not compared.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
from pathlib import Path

import pytest

import engine
from docsnippets import (BLOCKS, LINK, MY_DOCS, ROOT, TUTORIAL, Block, Command, anchors, blocks_of, commands,
                         following, load_block, marked, matches, normalised, projected, run_cases, score_submission)
from engine.expressions import FUNCTIONS
from engine.rules import KINDS
from engine.schema import rubric_schema


# -- YAML snippets ---------------------------------------------------------------------------
@pytest.mark.parametrize("block", marked("rubric", "fragment", error=False), ids=lambda b: b.id)
def test_rubric_snippet_loads_and_its_cases_pass(block: Block) -> None:
    rubric = load_block(block, "example.yaml")
    assert run_cases(rubric) == []


@pytest.mark.parametrize("block", marked("submission", error=False), ids=lambda b: b.id)
def test_submission_snippet_scores(block: Block) -> None:
    result = score_submission(block)
    assert result.total >= 0


@pytest.mark.parametrize("block", marked("rubric", "fragment", "submission", error=True), ids=lambda b: b.id)
def test_error_snippet_gives_the_documented_messages(block: Block) -> None:
    shown = following(block)
    assert shown is not None, f"{block.id}: an error snippet must be followed by a ```text block of messages"
    with pytest.raises(engine.RubricError) as caught:
        if block.has("submission"):
            score_submission(block)
        else:
            load_block(block)
    assert [str(p) for p in caught.value.problems] == shown.text.strip().splitlines()


def _generated(name: str, tmp: Path) -> list[str]:
    """Inputs that cannot be shown as text in the docs, made here; the messages they give."""
    os.chdir(tmp)
    if name == "not-utf8":
        Path("broken.yaml").write_bytes("id: 清河\n".encode("gbk"))
    elif name == "too-large":
        Path("broken.yaml").write_bytes(b"# " + b"x" * (6 * 1024 * 1024))
    elif name == "directory":
        Path("broken.yaml").mkdir()
    elif name == "misfiled":  # last year's file copied to a new name, its version not updated
        Path("rubrics/qingdao").mkdir(parents=True)
        Path("rubrics/qingdao/2021.yaml").write_bytes((ROOT / "rubrics/qingdao/2020.yaml").read_bytes())
        with pytest.raises(engine.RubricError) as caught:
            engine.load_reference("qingdao@2021", "rubrics")
        return [str(p) for p in caught.value.problems]
    elif name != "missing":
        raise AssertionError(f"unknown generator {name}")
    with pytest.raises(engine.RubricError) as caught:
        engine.load_rubric("broken.yaml")
    return [str(p) for p in caught.value.problems]


@pytest.mark.parametrize("block", [b for b in BLOCKS if "generated" in b.attrs], ids=lambda b: b.id)
def test_generated_error_gives_the_documented_messages(block: Block, tmp_path: Path) -> None:
    here = os.getcwd()
    try:
        assert _generated(block.attrs["generated"], tmp_path) == block.text.strip().splitlines()
    finally:
        os.chdir(here)


@pytest.mark.parametrize("block", [b for b in BLOCKS if "resolve" in b.attrs], ids=lambda b: b.id)
def test_reference_error_gives_the_documented_messages(block: Block, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    with pytest.raises(engine.ResolveError) as caught:
        engine.resolve(block.attrs["resolve"], "rubrics")
    assert [str(p) for p in caught.value.problems] == block.text.strip().splitlines()


# -- the tutorial ----------------------------------------------------------------------------
def test_tutorial_pieces_make_the_tutorial_rubric() -> None:
    pieces = [b.text for b in blocks_of("docs/authoring.md") if b.lang == "yaml" and b.has("tutorial")]
    assert pieces, "docs/authoring.md has no ```yaml tutorial blocks"
    assert "".join(pieces) == (TUTORIAL / "rubric.yaml").read_text(encoding="utf-8")


def test_tutorial_scores_as_expected() -> None:
    """expected.json holds the contract fields of the result (issue 2), checked by hand in authoring.md 2.11."""
    rubric = engine.load_rubric(TUTORIAL / "rubric.yaml")
    result = engine.score(rubric, engine.load_submission(TUTORIAL / "submission.yaml", rubric))
    expected = json.loads((TUTORIAL / "expected.json").read_text(encoding="utf-8"))
    assert projected(json.loads(json.dumps(result.to_dict())), expected) == expected
    assert run_cases(rubric) == []


def test_the_tutorial_submission_in_the_guide_is_the_file() -> None:
    shown = [b.text for b in blocks_of("docs/authoring.md") if b.has("submission") and "tutorial" in b.attrs.get("rubric", "")]
    assert shown == [(TUTORIAL / "submission.yaml").read_text(encoding="utf-8")]


# -- Python ----------------------------------------------------------------------------------
def test_python_snippets_run_and_print_what_the_docs_show(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    runnable = marked("run", lang="python")
    assert runnable, "docs/python-api.md has no ```python run blocks"
    namespace: dict[str, object] = {"__name__": "__docs__"}
    for block in runnable:
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(compile(block.text, block.id, "exec"), namespace)  # noqa: S102 - our own docs
        shown = following(block)
        if shown is not None and shown.has("output"):
            assert out.getvalue() == shown.text, f"{block.id} printed something else"


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of what documented commands read, so that files they write land outside the repository."""
    import shutil

    where = tmp_path_factory.mktemp("docs-sandbox")
    for name in ("examples", "rubrics", "docs"):
        shutil.copytree(ROOT / name, where / name)
    return where


@pytest.mark.parametrize("command", commands(), ids=lambda c: c.id)
def test_documented_command_prints_what_the_docs_show(command: Command, sandbox: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from cli.main import app

    monkeypatch.chdir(sandbox)
    monkeypatch.delenv("RUBRIC_PATH", raising=False)
    result = CliRunner().invoke(app, command.argv, prog_name="rubric")
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    actual = normalised(result.output.splitlines())
    if normalised(command.output):
        assert matches(normalised(command.output), actual), "\n".join(["the command printed:", *actual])
    expected_code = 0 if command.exit_code is None and not normalised(command.output) else command.exit_code
    if expected_code is not None:
        assert result.exit_code == expected_code, "\n".join([f"exit code {result.exit_code}:", *actual])


# -- the documentation covers the format ------------------------------------------------------
def _authoring() -> str:
    return (ROOT / "docs" / "authoring.md").read_text(encoding="utf-8")


def test_every_rule_kind_has_a_section() -> None:
    text = _authoring()
    missing = [kind for kind in KINDS if f"### `{kind}`" not in text]
    assert missing == []


def test_every_key_of_the_format_is_documented() -> None:
    schema, text = rubric_schema(), _authoring()
    keys = set(schema["properties"]) | set(schema["$defs"]["indicator"]["properties"])
    keys |= set(schema["properties"]["inputs"]["additionalProperties"]["properties"])
    keys |= set(schema["properties"]["audit"]["properties"])
    keys |= {k for rule in KINDS.values() for k in rule.schema}
    keys |= set(schema["$defs"]["indicator"]["properties"]["deductions"]["items"]["properties"])
    assert sorted(k for k in keys if f"`{k}`" not in text) == []


def test_every_expression_function_is_documented() -> None:
    text = _authoring()
    assert [name for name in FUNCTIONS if f"`{name}(" not in text] == []


def test_the_error_catalogue_covers_every_kind_of_error() -> None:
    text = (ROOT / "docs" / "errors.md").read_text(encoding="utf-8")
    kinds = [engine.DocumentError, engine.RubricLoadError, engine.SubmissionError, engine.ScoringError,
             engine.ResolveError]
    assert [k.__name__ for k in kinds if k.__name__ not in text] == []


@pytest.mark.parametrize("name", MY_DOCS)
def test_links_lead_somewhere(name: str) -> None:
    """Every relative link of the guides names a file that exists, and a heading that exists in it."""
    here = (ROOT / name).parent
    broken = []
    for target, anchor in LINK.findall((ROOT / name).read_text(encoding="utf-8")):
        if target.startswith(("http://", "https://", "mailto:")):
            continue
        path = (here / target).resolve() if target else ROOT / name
        if not path.exists():
            broken.append(target)
        elif anchor and path.suffix == ".md" and anchor not in anchors(path):
            broken.append(f"{target}#{anchor}")
    assert broken == []
