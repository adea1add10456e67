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
- ```` ```console ````: each ``$ rubric …`` line runs in-process through typer's CliRunner; the lines
  after it (up to the next ``$``) are its output, compared with whitespace runs collapsed. A
  following ``$ echo $?`` line gives the exit code.
"""
from __future__ import annotations

import contextlib
import io
import json
import os
import re
import shlex
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

import engine
from engine.document import parse_text
from engine.expressions import FUNCTIONS
from engine.rules import KINDS
from engine.schema import rubric_schema
from engine.submission import check_submission

ROOT = Path(__file__).resolve().parent.parent
MY_DOCS = ["README.md", "docs/authoring.md", "docs/evaluating.md", "docs/errors.md", "docs/python-api.md"]
TUTORIAL = ROOT / "examples" / "tutorial"
_FENCE = re.compile(r"^```(\S*)[ \t]*(.*)$")


@dataclass
class Block:
    file: str
    line: int
    lang: str
    words: list[str]
    text: str
    attrs: dict[str, str] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return f"{self.file}:{self.line}"

    def has(self, word: str) -> bool:
        return word in self.words


def blocks_of(name: str) -> list[Block]:
    """Every fenced block of a Markdown file, in order."""
    path = ROOT / name
    if not path.is_file():
        return []
    lines, found, i = path.read_text(encoding="utf-8").splitlines(), [], 0
    while i < len(lines):
        match = _FENCE.match(lines[i])
        if match and match.group(1):
            start, body = i + 1, []
            i += 1
            while i < len(lines) and lines[i].rstrip() != "```":
                body.append(lines[i])
                i += 1
            words = match.group(2).split()
            attrs = dict(w.split("=", 1) for w in words if "=" in w)
            found.append(Block(name, start, match.group(1), [w for w in words if "=" not in w],
                               "\n".join(body) + "\n", attrs))
        i += 1
    return found


def all_blocks() -> list[Block]:
    names = MY_DOCS + sorted(str(p.relative_to(ROOT)) for p in (ROOT / "docs").glob("**/*.md")
                             if str(p.relative_to(ROOT)) not in MY_DOCS)
    return [block for name in names for block in blocks_of(name)]


BLOCKS = all_blocks()


def marked(*words: str, lang: str = "yaml", error: bool | None = None) -> list[Block]:
    return [b for b in BLOCKS if b.lang == lang and any(b.has(w) for w in words)
            and (error is None or b.has("error") == error)]


# -- turning snippets into rubrics and submissions --------------------------------------------
def complete(fragment: str) -> str:
    """A fragment with the keys a rubric needs appended after it (so its line numbers hold)."""
    try:  # composed, not constructed: tags and bad values are the engine's to report
        data = _plain(yaml.compose(fragment)) or {}
    except yaml.YAMLError:  # the engine reports it; only the keys the fragment has matter here
        data = {match: None for match in re.findall(r"^(\w+):", fragment, re.MULTILINE)}
    tail = "" if fragment.endswith("\n") else "\n"
    tail += "id: example\n" if "id" not in data else ""
    tail += "version: '1'\n" if "version" not in data else ""
    tail += "title: 示例\n" if "title" not in data else ""
    total = data.get("total")
    if total is None:
        nodes = data.get("indicators") if isinstance(data.get("indicators"), list) else []
        total = sum((_weight(n) for n in nodes), Decimal(0)) or Decimal(100)
        tail += f"total: {total}\n"
    if "grades" not in data:
        tail += f'grades:\n  - {{label: 合格, range: "[0, {total}]"}}\n'
    return fragment + tail


def _plain(node: yaml.Node | None) -> object:
    """A composed YAML node as dicts, lists and the scalars' text."""
    if isinstance(node, yaml.MappingNode):
        return {_plain(key): _plain(value) for key, value in node.value}
    if isinstance(node, yaml.SequenceNode):
        return [_plain(item) for item in node.value]
    return node.value if node is not None else None


def _weight(node: object) -> Decimal:
    """A level-1 weight for the appended total; a broken one counts 0 (the engine reports it)."""
    raw = node.get("weight") if isinstance(node, dict) else None
    try:
        return Decimal(str(raw))
    except ArithmeticError:
        return Decimal(0)


def load_block(block: Block, name: str = "broken.yaml") -> engine.Rubric:
    text = complete(block.text) if block.has("fragment") else block.text
    return engine.parse_rubric(text, name)


def rubric_for(block: Block) -> engine.Rubric:
    """The rubric a submission block is meant for."""
    if "rubric" in block.attrs:
        return engine.load_rubric(ROOT / block.attrs["rubric"])
    above = [b for b in BLOCKS if b.file == block.file and b.line < block.line and b.lang == "yaml"
             and (b.has("rubric") or b.has("fragment")) and not b.has("error")]
    assert above, f"{block.id}: a submission block needs rubric=PATH or a rubric/fragment block above it"
    return load_block(above[-1], "example.yaml")


def score_submission(block: Block, name: str = "submission.yaml") -> engine.Result:
    rubric = rubric_for(block)
    return engine.score(rubric, check_submission(parse_text(block.text, name), rubric))


def run_cases(rubric: engine.Rubric) -> list[str]:
    """Every way the rubric's own cases fail (empty when they pass)."""
    failures = []
    for case in rubric.cases:
        result = engine.score(rubric, engine.submission_from_data(case.submission, rubric, case.name))
        if case.total is not None and result.total != case.total:
            failures.append(f"{case.name}: total {result.total}, expected {case.total}")
        if case.grade is not None and result.grade != case.grade:
            failures.append(f"{case.name}: grade {result.grade}, expected {case.grade}")
        for node_id, expected in case.scores.items():
            got = result.node(node_id)
            if got is None or got.score != expected:
                failures.append(f"{case.name}: {node_id} scored {got.score if got else None}, expected {expected}")
    return failures


def following(block: Block, lang: str = "text") -> Block | None:
    """The block right after ``block`` in its file, if it is a ``lang`` block."""
    later = [b for b in BLOCKS if b.file == block.file and b.line > block.line]
    return later[0] if later and later[0].lang == lang else None


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


def projected(actual: object, expected: object) -> object:
    """``actual`` cut down to the keys ``expected`` has (the result contract, not every detail)."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        return {key: projected(actual.get(key), value) for key, value in expected.items()}
    if isinstance(expected, list) and isinstance(actual, list) and len(actual) == len(expected):
        return [projected(a, e) for a, e in zip(actual, expected)]
    return actual


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


# -- commands ----------------------------------------------------------------------------------
@dataclass
class Command:
    block: Block
    line: int
    argv: list[str]
    output: list[str]
    exit_code: int | None = None

    @property
    def id(self) -> str:
        return f"{self.block.file}:{self.line}"


def commands() -> list[Command]:
    """Every ``$ rubric …`` line of every ```console block, with the output shown after it."""
    found: list[Command] = []
    for block in (b for b in BLOCKS if b.lang == "console"):
        current: Command | None = None
        for offset, line in enumerate(block.text.splitlines(), 1):
            if line.startswith("$ "):
                words = shlex.split(line[2:])
                if words[:1] == ["rubric"]:
                    current = Command(block, block.line + offset, words[1:], [])
                    found.append(current)
                elif words == ["echo", "$?"] and current is not None:
                    current.exit_code = -1  # the next output line is the code
                else:
                    current = None  # another shell command: its output is not checked
            elif current is not None and current.exit_code == -1:
                current.exit_code = int(line.strip())
            elif current is not None and current.exit_code is None:
                current.output.append(line)
    return found


def normalised(lines: list[str]) -> list[str]:
    """Whitespace runs collapsed, blank lines dropped: what a reader compares by eye."""
    return [" ".join(line.split()) for line in lines if line.strip()]


def matches(shown: list[str], actual: list[str]) -> bool:
    """Exact match, except that a line ``...`` in the docs stands for any number of lines."""
    if not shown:
        return not actual
    if shown[0] in ("...", "…"):
        return any(matches(shown[1:], actual[i:]) for i in range(len(actual) + 1))
    return bool(actual) and shown[0] == actual[0] and matches(shown[1:], actual[1:])


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
    assert matches(normalised(command.output), actual), "\n".join(["the command printed:", *actual])
    if command.exit_code is not None:
        assert result.exit_code == command.exit_code


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


_LINK = re.compile(r"\]\(([^)#\s]+)?(?:#([^)\s]+))?\)")


def _anchors(path: Path) -> set[str]:
    """GitHub's anchors for a Markdown file's headings."""
    anchors = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            text = line.lstrip("#").strip().lower()
            anchors.add(re.sub(r"[^\w\- ]", "", text).replace(" ", "-"))
    return anchors


@pytest.mark.parametrize("name", MY_DOCS)
def test_links_lead_somewhere(name: str) -> None:
    """Every relative link of the guides names a file that exists, and a heading that exists in it."""
    here = (ROOT / name).parent
    broken = []
    for target, anchor in _LINK.findall((ROOT / name).read_text(encoding="utf-8")):
        if target.startswith(("http://", "https://", "mailto:")):
            continue
        path = (here / target).resolve() if target else ROOT / name
        if not path.exists():
            broken.append(target)
        elif anchor and path.suffix == ".md" and anchor not in _anchors(path):
            broken.append(f"{target}#{anchor}")
    assert broken == []

