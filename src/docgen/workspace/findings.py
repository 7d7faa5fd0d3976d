"""Each engagement's findings, kept so that an unchanged engagement is not checked again.

Checking an engagement (its checklists, gates, and whether each document it has reached
has the values its template needs and matches its frozen text) costs about 2 ms; a
portfolio of 1,000 spends most of a ``publish`` of unchanged files doing it again.  The
findings of one engagement depend only on:

- every file in its folder (frozen texts, executed copies and evidence included);
- the paths outside its folder that it names (evidence links, executed copies), which
  are looked at, not read;
- what all engagements share: the process file, the templates folder, the workspace
  config, today's date, and docgen's own code and the libraries that shape its checks.

The key of an engagement is the digest of all of these.  Files are known by their
status (size, modification and change times, inode), as git's index knows them: a
change to a file's content always moves its change time, which no tool sets back, so a
changed file is never taken for the old one.  Portfolio-wide checks (duplicate codes)
are never cached.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date

from docgen.core.cache import Store
from docgen.core.diagnostics import Diagnostic
from docgen.core.fingerprint import Fingerprint, code_version, file_status, tree_status
from docgen.domain.engagement import Engagement
from docgen.domain.process import Process
from docgen.workspace.config import Workspace


class FindingsCache:
    """The findings of each engagement of one workspace, as of ``today``."""

    def __init__(
        self, workspace: Workspace, process: Process, today: date, *, documents: bool
    ) -> None:
        templates = workspace.root / workspace.config.templates
        self.shared = Fingerprint(
            code_version(),
            tree_status(workspace.root, [templates], [workspace.process_file]),
            workspace.config.model_dump_json(),
            today.isoformat(),
        ).digest()
        self.workspace = workspace
        # validation (documents checked) and render (not) keep their findings apart: in
        # one store each would push out the other's, and an edit be checked twice
        self.store = Store(workspace.root, "findings", "documents" if documents else "rules")

    def key(self, e: Engagement) -> bytes:
        """The digest of everything the findings of ``e`` are made from."""
        h = Fingerprint(self.shared, e.inputs or tree_status(self.workspace.root, [e.folder]))
        for path in sorted(_outside_paths(e)):
            h.add(path, file_status(path))
        return h.digest()

    def findings(self, e: Engagement, check: Callable[[], list[Diagnostic]]) -> list[Diagnostic]:
        """The findings of ``e``: those kept under its key, else ``check()``'s, kept."""
        key = self.key(e)
        kept = self.store.get(e.id, key)
        if isinstance(kept, list):
            return kept
        found = check()
        self.store.put(e.id, key, found)
        return found

    def save(self) -> None:
        """Keep the findings made this run."""
        self.store.save()


def _outside_paths(e: Engagement) -> set[str]:
    """The paths named by ``e``'s files that lie outside its folder (looked at, not read)."""
    named: list[str] = []
    for stage in e.stages.values():
        for state in stage.data.checklist.values():
            links = state.evidence if state is not None else None
            named += [links] if isinstance(links, str) else list(links or [])
    for record in e.documents.values():
        if record.data.executed is not None:
            named.append(record.data.executed.file)
    folder = os.path.join(os.path.normpath(e.folder), "")
    out = set()
    for link in named:
        if "://" in link or link.startswith("mailto:"):
            continue
        target = os.path.normpath(os.path.join(e.folder, link.split("#", 1)[0]))
        if not target.startswith(folder):
            out.add(target)
    return out
