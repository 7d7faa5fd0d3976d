"""Revision history from git: one ``git log`` for the whole engagements folder.

Each document's 修订记录 lists the commits that touched its inputs (the engagement's
index.md and its documents/<doc>.md record), newest first; the newest commit's date is
the document's date in its core properties, so rendering never reads the clock.
"""

from __future__ import annotations

import hashlib
import subprocess
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

_SEP = "\x1f"
_MARK = "\x1e"


@dataclass(frozen=True, slots=True)
class Revision:
    """One commit touching a document's inputs."""

    commit: str
    when: datetime
    author: str
    summary: str

    @property
    def short(self) -> str:
        """The abbreviated commit id."""
        return self.commit[:8]


class History:
    """Commits per file (paths relative to the workspace root, POSIX separators)."""

    def __init__(self, by_file: dict[str, list[Revision]] | None = None) -> None:
        self._by_file = by_file or {}

    def for_files(self, files: Iterable[str], limit: int = 20) -> list[Revision]:
        """The commits touching any of ``files``, newest first, each once."""
        seen: dict[str, Revision] = {}
        for file in files:
            for revision in self._by_file.get(file, []):
                seen.setdefault(revision.commit, revision)
        ordered = sorted(seen.values(), key=lambda r: (r.when, r.commit), reverse=True)
        return ordered[:limit]


def read_history(root: Path, folder: str) -> History:
    """Every commit touching ``folder``; an empty history outside git or without git."""
    try:
        out = subprocess.run(
            [
                "git",
                "-c",
                "core.quotepath=off",
                "log",
                "--no-renames",
                f"--format={_MARK}%H{_SEP}%cI{_SEP}%an{_SEP}%s",
                "--name-only",
                "--",
                folder,
            ],
            cwd=root,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            check=False,
            timeout=120,
        )
    except (OSError, subprocess.SubprocessError):
        return History()
    if out.returncode != 0:
        return History()
    prefix = _git_prefix(root)
    by_file: dict[str, list[Revision]] = defaultdict(list)
    for block in out.stdout.split(_MARK)[1:]:
        head, _, names = block.partition("\n")
        commit, when, author, summary = head.split(_SEP, 3)
        revision = Revision(commit, datetime.fromisoformat(when), author, summary)
        for name in names.split("\n"):
            if name.strip():
                by_file[name.strip().removeprefix(prefix)].append(revision)
    return History(dict(by_file))


def _git_prefix(root: Path) -> str:
    # git prints paths from the repository top; the workspace may be a sub-folder of it
    return _rev_parse(root, "--show-prefix")


def git_head(root: Path) -> str:
    """The commit checked out in the repository around ``root``; "" outside git."""
    return _rev_parse(root, "HEAD")


def _rev_parse(root: Path, what: str) -> str:
    try:
        out = subprocess.run(
            ["git", "rev-parse", what],
            cwd=root,
            capture_output=True,
            text=True,
            check=False,
            timeout=30,
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return out.stdout.strip() if out.returncode == 0 else ""


def committed_copy(root: Path, rel: str, sha256: str, depth: int = 50) -> bytes | None:
    """The content ``rel`` had in one of its last ``depth`` commits whose sha256 is ``sha256``.

    How a changed file is compared with what it was: None outside git, or when no
    committed version has that digest.
    """
    try:
        log = subprocess.run(
            ["git", "log", "--format=%H", f"-n{depth}", "--", rel],
            cwd=root,
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
        )
        for commit in log.stdout.split() if log.returncode == 0 else []:
            shown = subprocess.run(
                ["git", "show", f"{commit}:./{rel}"],
                cwd=root,
                capture_output=True,
                check=False,
                timeout=60,
            )
            if shown.returncode == 0 and hashlib.sha256(shown.stdout).hexdigest() == sha256:
                return shown.stdout
    except (OSError, subprocess.SubprocessError):
        return None
    return None
