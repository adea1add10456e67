"""Reading the docs' marked snippets: the helpers of tests/test_docs.py (the markers are described there)."""
from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import yaml

import engine
from engine.document import parse_text
from engine.submission import check_submission

ROOT = Path(__file__).resolve().parent.parent
MY_DOCS = ["README.md", "docs/authoring.md", "docs/evaluating.md", "docs/errors.md", "docs/python-api.md",
           "docs/invariants.md", "docs/auditing.md", "docs/excel.md"]
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
    from engine.cases import run_cases as run

    return [f"{o.case.name}: {why}" for o in run(rubric) for why in (*o.failures, *map(str, o.problems))]


def following(block: Block, lang: str = "text") -> Block | None:
    """The block right after ``block`` in its file, if it is a ``lang`` block."""
    later = [b for b in BLOCKS if b.file == block.file and b.line > block.line]
    return later[0] if later and later[0].lang == lang else None


def projected(actual: object, expected: object) -> object:
    """``actual`` cut down to the keys ``expected`` has (the result contract, not every detail)."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        return {key: projected(actual.get(key), value) for key, value in expected.items()}
    if isinstance(expected, list) and isinstance(actual, list) and len(actual) == len(expected):
        return [projected(a, e) for a, e in zip(actual, expected)]
    return actual


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


LINK = re.compile(r"\]\(([^)#\s]+)?(?:#([^)\s]+))?\)")


def anchors(path: Path) -> set[str]:
    """GitHub's anchors for a Markdown file's headings."""
    anchors = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            text = line.lstrip("#").strip().lower()
            anchors.add(re.sub(r"[^\w\- ]", "", text).replace(" ", "-"))
    return anchors
