"""The 用户手册 runs: every command in it, in order, in a new workspace (issue 26).

The guide's pages (``docs/manual/*.md`` of the package's workspace) are one officer's
trip, page after page. Each ``console`` block is run as written:

- ``$ docgen …`` runs the real entry point in the block's folder; ``$ cd DIR`` moves;
  ``$ git …`` runs git. A trailing ``# 退出码 N`` says the exit status the page expects
  (0 otherwise);
- the lines after a command are what the user sees: each must appear, in order, in what
  the command printed (``…`` stands for lines the page leaves out);
- a ``yaml`` block whose first line is ``# 文件：PATH`` is what the officer types into
  PATH's front matter (or mkdocs.yml): its keys are filled in, nothing else changes.
  Each of its keys must stand in the file already, as a key or in a comment: the officer
  never guesses a field name;
- ``<!-- 手册中的今天：DATE -->`` moves the trip's day on: the commands after it run on
  DATE (the trip starts on `GUIDE_TODAY`).

A page that drifts from the tool fails here, naming the page and the command. The trip's
figures (commands, refusals, refusals whose message named the fix) are printed.
"""

from __future__ import annotations

import io
import os
import re
import shlex
import shutil
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap

REPO = Path(__file__).resolve().parents[1]
GUIDE = REPO / "src" / "docgen" / "data" / "workspace" / "docs" / "manual"
#: the day the guide's trip happens (commands without --date record it)
GUIDE_TODAY = "2026-12-04"
#: a fenced block, or the marker that moves the trip's day on (the page's "today")
BLOCK = re.compile(
    r"^```(?P<lang>\w+)\n(?P<body>.*?)^```$|^<!-- 手册中的今天：(?P<today>\d{4}-\d\d-\d\d) -->$",
    re.M | re.S,
)
EXIT = re.compile(r"#\s*退出码\s*(\d)")
#: English ids that must never reach the officer in Chinese output
ENGLISH_IDS = re.compile(
    r"\b(market-research|plan-design|publish-call|due-diligence|cooperation-plan|"
    r"letter-of-intent|cooperation-agreement|joint-venture|negotiation|establishment|"
    r"preparation|execution|evaluation|legal-review|draft-plan)\b"
)


@dataclass
class Step:
    """One thing the guide has the officer do."""

    page: str
    kind: str  # "command", "edit" or "today"
    text: str
    expected: list[str] = field(default_factory=list)
    status: int = 0


def guide_steps() -> list[Step]:
    """Every command and edit of the guide, in reading order."""
    steps: list[Step] = []
    for page in sorted(GUIDE.glob("[0-9]*.md")):
        for found in BLOCK.finditer(page.read_text("utf-8")):
            if found["today"]:
                steps.append(Step(page.name, "today", found["today"]))
                continue
            lang, body = found["lang"], found["body"]
            if lang == "console":
                for line in body.splitlines():
                    if line.startswith("$ "):
                        found = EXIT.search(line)
                        steps.append(
                            Step(page.name, "command", line[2:], status=int(found[1]) if found else 0)
                        )
                    elif line.strip() and steps:
                        steps[-1].expected.append(line.strip())
            elif lang == "yaml" and body.startswith("# 文件："):
                steps.append(Step(page.name, "edit", body))
    return steps


def fill_front_matter(path: Path, snippet: str) -> None:
    """Fill ``snippet``'s keys into ``path`` (its front matter, or a .yml file) as an editor would."""
    yaml = YAML()
    yaml.preserve_quotes = True
    text = path.read_text("utf-8")
    if path.suffix == ".yml":
        yaml.indent(mapping=2, sequence=4, offset=2)
        tree = yaml.load(text)
        _merge(tree, yaml.load(snippet))
        out = io.StringIO()
        yaml.dump(tree, out)
        path.write_text(out.getvalue(), "utf-8")
        return
    yaml.width = 4096  # an editor does not fold the officer's long lines
    _, head, body = text.split("---\n", 2)
    tree = yaml.load(head)
    _merge(tree, yaml.load(snippet))
    out = io.StringIO()
    yaml.dump(tree, out)
    path.write_text(f"---\n{out.getvalue()}---\n{body}", "utf-8")


def _merge(tree: CommentedMap, new: Any) -> None:
    for key, value in new.items():
        if isinstance(value, dict) and isinstance(tree.get(key), dict):
            _merge(tree[key], value)
        elif isinstance(value, list) and isinstance(tree.get(key), list) and _keyed(value):
            for entry in value:  # mkdocs.yml's plugins: the entry named by the same key
                name = next(iter(entry))
                mine = next(e for e in tree[key] if isinstance(e, dict) and name in e)
                _merge(mine, entry)
        else:
            tree[key] = value


def _keys(tree: Any) -> set[str]:
    """Every mapping key in ``tree``: what the officer had to know to write it."""
    if isinstance(tree, dict):  # a period (2027-Q1: 0.8) is data, not a field name
        own = {str(k) for k in tree if not re.match(r"\d{4}", str(k))}
        return own | {k for value in tree.values() for k in _keys(value)}
    if isinstance(tree, list):
        return {k for value in tree for k in _keys(value)}
    return set()


def _keyed(entries: list[Any]) -> bool:
    return all(isinstance(e, dict) and len(e) == 1 for e in entries)


def test_the_guide_has_a_page_per_task() -> None:
    titles = [p.read_text("utf-8").splitlines()[0] for p in sorted(GUIDE.glob("[0-9]*.md"))]
    for task in ("新建线索", "推进阶段", "记录会议", "起草与审批文件", "签署与归档", "变更与续约",
                 "终止与流失", "导出与导入台账", "网页编辑"):  # fmt: skip
        assert any(task in title for title in titles), task
    repo_copy = Path(__file__).resolve().parents[1] / "docs" / "manual"
    for page in GUIDE.glob("*.md"):  # the repository's site shows the same guide
        assert (repo_copy / page.name).read_bytes() == page.read_bytes(), page.name


def test_every_command_in_the_guide_runs_as_it_says(
    tmp_path: Path, run, monkeypatch: pytest.MonkeyPatch  # type: ignore[no-untyped-def]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DOCGEN_LANG", "zh")
    for key, value in {"GIT_AUTHOR_NAME": "王磊", "GIT_AUTHOR_EMAIL": "wanglei@example.cn",
                       "GIT_COMMITTER_NAME": "王磊", "GIT_COMMITTER_EMAIL": "wanglei@example.cn",
                       "COLUMNS": "120"}.items():  # fmt: skip
        monkeypatch.setenv(key, value)
    steps = guide_steps()
    commands = refusals = explained = 0
    today = GUIDE_TODAY
    for step in steps:
        if step.kind == "today":
            assert step.text >= today, f"{step.page}: the guide's days go forward"
            today = step.text
            continue
        monkeypatch.setenv("DOCGEN_TODAY", today)  # `run` fixes its own day
        where = f"{step.page}: {step.text.splitlines()[0]}"
        if step.kind == "edit":
            target = step.text.splitlines()[0].removeprefix("# 文件：").strip()
            before = (Path.cwd() / target).read_text("utf-8")
            guessed = [key for key in _keys(YAML().load(step.text)) if key not in before]
            assert not guessed, f"{where}: keys neither in the file nor in its comments: {guessed}"
            fill_front_matter(Path.cwd() / target, step.text)
            continue
        commands += 1
        argv = shlex.split(step.text, comments=True)
        if argv[0] == "cd":
            os.chdir(argv[1])
            continue
        if argv[:3] == ["docgen", "cms", "serve"]:
            said, code = _serve(argv), 0
        elif argv[:3] == ["docgen", "cms", "install"] and _installed_here():
            said, code = "", 0
        elif argv[0] == "git":
            done = subprocess.run(argv, capture_output=True, text=True, check=False)
            said, code = done.stdout + done.stderr, done.returncode
        else:
            assert argv[0] == "docgen", where
            result = run(*argv[1:])
            said, code = result.out + result.err, result.exit_code
        if os.environ.get("GUIDE_SHOW"):
            sys.__stdout__.write(f"\n$ {step.text}\n{said}")  # not into the next capture
        assert code == step.status, f"{where}\n{said}"
        if code:
            refusals += 1
            explained += bool(step.expected)  # the page shows the message that says the fix
        _assert_shows(said, step.expected, where)
        if argv[0] == "docgen" and "--dry-run" not in argv:  # a diff shows the files' keys
            leaked = ENGLISH_IDS.findall(_without_paths(said))
            assert not leaked, f"{where}: English ids {leaked} in\n{said}"
    assert commands >= 40
    print(f"guide: {commands} commands, {refusals} refused, {explained} with the fix in the message")


def _installed_here() -> bool:
    """Copy the editor the repository installed (``make demo``) instead of fetching it again."""
    from docgen.cms import vendor
    from docgen.workspace.config import open_workspace

    done = vendor.vendor_dir(open_workspace(REPO))
    if not (done / "decap-cms.js").is_file():
        return False  # the guide's own command fetches it (npm, as .ci/run has)
    shutil.copytree(done, vendor.vendor_dir(open_workspace(Path.cwd())))
    return True


def _serve(argv: list[str]) -> str:
    """Start the editor as the page says, open its page, stop it (the officer's Ctrl-C)."""
    port = argv[argv.index("--port") + 1]
    server = subprocess.Popen([sys.executable, "-m", "docgen", *argv[1:]],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)  # fmt: skip
    try:
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as page:
                    assert page.status == 200
                    return page.read().decode("utf-8")
            except OSError:
                time.sleep(0.2)
        raise AssertionError("the editor did not answer")
    finally:
        server.terminate()
        server.wait(timeout=10)


def _without_paths(said: str) -> str:
    """``said`` without file paths and commands' own arguments, where ids belong."""
    return re.sub(r"\S*[/\\]\S*|\S+\.(md|docx|xlsx|ics|pdf)\b", "", said)


def _assert_shows(said: str, expected: list[str], where: str) -> None:
    lines = [" ".join(line.split()) for line in said.splitlines()]
    at = 0
    for want in expected:
        if want == "…":
            continue
        want = " ".join(want.split())
        hit = next((i for i in range(at, len(lines)) if want in lines[i]), None)
        assert hit is not None, f"{where}: the page shows\n  {want}\nbut the command said\n{said}"
        at = hit + 1
