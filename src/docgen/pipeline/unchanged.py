"""A publish that would make nothing new is said again, not run again.

After a publish with no error, docgen keeps in its store (`docgen.core.cache`) what the
publish was made from and what it left:

- its inputs: the status (size, times, inode) of every file in the workspace except
  the output folder and hidden folders (``.git``, ``.venv``), and of the web editor's
  bundle in the output folder (``docgen cms install``); git's HEAD (the pages
  show each file's history); the code version; today's date (overdue items, ages); the
  options; the values of the variables mkdocs.yml reads (``!ENV``); and which
  LibreOffice makes the PDFs;
- its output: the status of every file of the site and of the documents;
- what it said: its warnings and how many documents it kept.

A publish that finds the inputs and the output as they were says again what the last
one said and is done: the site and the documents are what the same inputs made.  A
file touched, added or removed, in the workspace or in its output, and it runs.  The
inputs are read before a publish starts, so a file edited while it runs makes the next
publish run again.  Nothing is kept for a publish with errors, nor with the cache off.
"""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import Any

from docgen.core.cache import Store
from docgen.core.diagnostics import Diagnostic
from docgen.core.fingerprint import Fingerprint, file_status, folder_files, tree_status
from docgen.core.history import git_head
from docgen.pipeline.reports import PublishReport, RenderReport
from docgen.workspace.config import CONFIG_FILE, Workspace, find_root, today_in

#: ``!ENV NAME`` or ``!ENV [NAME, OTHER, default]`` in mkdocs.yml
_ENV_TAG = re.compile(r"!ENV\s+(\[[^\]\n]*\]|[A-Za-z_][A-Za-z0-9_]*)")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass(frozen=True)
class _Kept:
    """What a publish left, as the store keeps it."""

    inputs: bytes
    outputs: bytes
    output_folder: str  # the workspace's output folder (mkdocs.yml's ``output``)
    site_dir: str
    documents_dir: str
    timezone: str
    warnings: list[dict[str, Any]]
    documents: list[str]


class LastPublish:
    """The last publish of one site (workspace, audience, site folder, offline or not)."""

    def __init__(
        self, root: Path | None, audience: str, site_dir: Path | None, offline: bool
    ) -> None:
        self.root = find_root(Path.cwd()) if root is None else root.resolve()
        site = str(site_dir.resolve()) if site_dir is not None else ""
        self.variant = f"{audience}|{'offline' if offline else 'online'}|{site}"
        #: a site folder asked for inside the workspace is an output, not an input
        self.site_prefix = site + os.sep if site else None
        self._inputs: dict[tuple[str, date], bytes] = {}  # read once a publish

    def replay(self) -> PublishReport | None:
        """The last publish's report again, if nothing it read or wrote has changed."""
        store = Store(self.root, "publish", self.variant)
        try:
            kept = store.get("", b"")
        finally:
            store.close()
        if not isinstance(kept, _Kept):
            return None
        site, documents = Path(kept.site_dir), Path(kept.documents_dir)
        try:
            today = today_in(kept.timezone)
        except ValueError:
            return None
        if self.inputs(kept.output_folder, today) != kept.inputs:
            return None
        if _outputs(self.root, site, documents) != kept.outputs:
            return None
        render = RenderReport(documents, unchanged=list(kept.documents))
        render.diagnostics = [Diagnostic(**d) for d in kept.warnings]
        return PublishReport(site, list(render.diagnostics), render, built=True)

    def inputs(self, output_folder: str, today: date) -> bytes:
        """The digest of everything a publish of this site reads (see the module).

        Read once: `replay`, finding them changed, leaves them for the publish to keep.
        """
        known = self._inputs.get((output_folder, today))
        if known is None:
            known = self._inputs[output_folder, today] = self._read_inputs(output_folder, today)
        return known

    def _read_inputs(self, output_folder: str, today: date) -> bytes:
        h = Fingerprint(self.variant, today.isoformat(), output_folder)
        leave_out = {Path(output_folder).parts[0]} if Path(output_folder).parts else set()
        try:
            entries = sorted(os.scandir(self.root), key=lambda entry: entry.name)
        except OSError:
            entries = []
        for entry in entries:
            if entry.name.startswith(".") or entry.name in leave_out:
                continue
            if entry.is_dir(follow_symlinks=False):
                for parts, path, status in folder_files(entry.path, self.root):
                    if self.site_prefix is None or not path.startswith(self.site_prefix):
                        h.add("/".join((entry.name, *parts)), status)
            else:
                h.add(entry.name, file_status(entry.path))
        # the web editor's bundle (`docgen cms install`) is kept in the output folder
        h.add(tree_status(self.root, [self.root / output_folder / "vendor"]))
        h.add(git_head(self.root), *_environment(self.root / CONFIG_FILE), _office())
        return h.digest()

    def record(self, workspace: Workspace, inputs: bytes, report: PublishReport) -> None:
        """Keep a publish that built with no error, with its ``inputs`` read before it ran."""
        if not report.built or report.render is None or report.left_out:
            return
        if any(d.is_error for d in report.diagnostics):
            return
        documents = report.render.out_dir.resolve()
        kept = _Kept(
            inputs=inputs,
            outputs=_outputs(self.root, report.site_dir, documents),
            output_folder=workspace.config.output,
            site_dir=str(report.site_dir),
            documents_dir=str(documents),
            timezone=workspace.config.timezone,
            warnings=[asdict(d) for d in report.diagnostics],
            documents=sorted({*report.render.written, *report.render.unchanged}),
        )
        store = Store(self.root, "publish", self.variant)
        store.put("", b"", kept)
        store.save()


def _outputs(root: Path, site: Path, documents: Path) -> bytes:
    return Fingerprint(
        str(site), tree_status(root, [site]), str(documents), tree_status(root, [documents])
    ).digest()


def _environment(config: Path) -> list[str]:
    """``NAME=value`` of each variable mkdocs.yml reads with ``!ENV``."""
    try:
        text = config.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    names = {name for tag in _ENV_TAG.findall(text) for name in _NAME.findall(tag)}
    return [f"{name}={os.environ.get(name)}" for name in sorted(names)]


def _office() -> str:
    """Which LibreOffice makes the PDFs, if any: one installed later makes them then."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        return "no office"
    real = os.path.realpath(soffice)
    return f"{real}:{file_status(real).hex()}"
