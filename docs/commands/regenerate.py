"""Refresh the output shown in the ```console blocks of docs/commands/*.md from real runs.

    python docs/commands/regenerate.py            # every page
    python docs/commands/regenerate.py score.md   # some pages

Each ``$ rubric …`` line is run by bash in a throwaway copy of the repository (so ``-o`` files land
outside it), stdout and stderr together, with no COLUMNS or colour variables: what a user piping the
output sees. A ``$ echo $?`` line gets the exit code of the command before it. An HTML comment right
above a block can trim what is shown (``...`` stands for the lines left out, as tests/test_docs.py reads it):

    <!-- from: 总分 Total: -->   start each command's output at the first line containing the text
    <!-- head: 40 -->           keep only the first 40 lines
    <!-- hide: sha256 -->       put ``...`` for lines containing the text (figures that change with any edit)
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
_DIRECTIVE = re.compile(r"^<!--\s*(from|head|hide):\s*(.*?)\s*-->$")


def main(names: list[str]) -> None:
    pages = [HERE / name for name in names] or sorted(HERE.glob("*.md"))
    with tempfile.TemporaryDirectory(prefix="rubric-docs-") as sandbox:
        for name in ("examples", "rubrics", "docs"):
            shutil.copytree(ROOT / name, Path(sandbox) / name)
        for page in pages:
            page.write_text(refresh(page.read_text(encoding="utf-8"), Path(sandbox)), encoding="utf-8")
            print(f"refreshed {page.relative_to(ROOT)}")


def refresh(text: str, sandbox: Path) -> str:
    lines, out, i = text.splitlines(), [], 0
    while i < len(lines):
        out.append(lines[i])
        if lines[i].startswith("```console"):
            directives = _directives(out[:-1])
            body = []
            i += 1
            while lines[i] != "```":
                body.append(lines[i])
                i += 1
            out += _run_block([line for line in body if line.startswith("$ ")], sandbox, directives)
            out.append("```")
        i += 1
    return "\n".join(out) + "\n"


def _directives(before: list[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for line in reversed(before):
        match = _DIRECTIVE.match(line.strip())
        if not match:
            break
        found[match.group(1)] = match.group(2)
    return found


def _run_block(commands: list[str], sandbox: Path, directives: dict[str, str]) -> list[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "FORCE_COLOR", "NO_COLOR", "RUBRIC_PATH")}
    out, code = [], 0
    for command in commands:
        out.append(command)
        if command == "$ echo $?":
            out.append(str(code))
            continue
        done = subprocess.run(["bash", "-c", command[2:] + " 2>&1"], cwd=sandbox, env=env,
                              capture_output=True, text=True, encoding="utf-8", check=False)
        code = done.returncode
        out += _trim([line.rstrip() for line in done.stdout.rstrip("\n").splitlines()], directives)
    return out


def _trim(lines: list[str], directives: dict[str, str]) -> list[str]:
    if "from" in directives:
        start = next(n for n, line in enumerate(lines) if directives["from"] in line)
        lines = ["..."] + lines[start:]
    if "head" in directives and len(lines) > int(directives["head"]):
        lines = lines[:int(directives["head"])] + ["..."]
    if "hide" in directives:
        lines = ["..." if directives["hide"] in line else line for line in lines]
    return lines


if __name__ == "__main__":
    main(sys.argv[1:])
