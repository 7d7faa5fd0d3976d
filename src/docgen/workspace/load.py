"""Load a workspace into the model: engagements, each file with its source map.

Loading never raises for a user's file: every problem becomes a diagnostic and the file
is left out of the model, so validation can report everything in one run.
"""

from __future__ import annotations

import functools
import gc
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from docgen.core.atomic import TEMP_PATTERN
from docgen.core.cache import Bundle, ParseCache, Store, digest
from docgen.core.diagnostics import Diagnostic, DocgenError, FileProblem, Location
from docgen.core.fingerprint import (
    Fingerprint,
    code_version,
    folder_inputs,
    tree_status,
)
from docgen.core.history import History, read_history
from docgen.core.i18n import msg
from docgen.core.paths import is_inside, outside_error
from docgen.core.schema import did_you_mean, validate_model
from docgen.core.source import SourceFile, decode, parse_markdown, read_bytes
from docgen.domain.aliases import Aliases
from docgen.domain.engagement import Engagement, Sourced, T
from docgen.domain.model import (
    ENGAGEMENT_FILES,
    FILE_KINDS,
    DocumentRecord,
    Meeting,
    StageFile,
)
from docgen.domain.process import Process, load_process
from docgen.workspace.config import Workspace, open_workspace

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
_MEETING_NAME = re.compile(r"^(\d{4}-\d{2}-\d{2})-[a-z0-9][a-z0-9-]*\.md$")


@dataclass(slots=True)
class Portfolio:
    """A loaded workspace: config, process, engagements and what loading found."""

    workspace: Workspace
    process: Process
    engagements: list[Engagement]
    diagnostics: list[Diagnostic]
    #: engagements a ``publish --keep-going`` left out for their errors
    left_out: list[str] = field(default_factory=list)
    #: the engagements folder's git history, read on first use (`history`)
    known_history: History | None = field(default=None, repr=False, compare=False)

    def history(self) -> History:
        """Every commit touching the engagements folder: one ``git log`` per portfolio."""
        if self.known_history is None:
            self.known_history = read_history(
                self.workspace.root, self.workspace.config.engagements
            )
        return self.known_history

    def get(self, engagement_id: str) -> Engagement:
        """The engagement with this id, or a `DocgenError` with a hint."""
        for e in self.engagements:
            if e.id == engagement_id:
                return e
        hint = did_you_mean(engagement_id, [e.id for e in self.engagements])
        raise DocgenError(
            msg("no engagement '%(id)s'; %(hint)s", id=engagement_id, hint=hint)
            if hint
            else msg("no engagement '%(id)s'", id=engagement_id)
        )

    def editable(self, engagement_id: str) -> Engagement:
        """The engagement with this id, every file of it loaded: what a writer may change.

        One with a file that does not load is refused, naming the command that says why.
        """
        e = self.get(engagement_id)
        if e.index is None or e.broken:
            raise DocgenError(
                msg("%(id)s has files that do not load; run 'docgen validate %(id)s'", id=e.id)
            )
        return e


#: the file kinds whose values may be written as titles (`docgen.domain.aliases`)
_ALIASED: dict[type, str] = {k.model: k.id for k in ENGAGEMENT_FILES}


class _FileLoader:
    """Reads the files of one engagement through the parse cache, collecting diagnostics."""

    def __init__(
        self,
        workspace: Workspace,
        bundle: Bundle,
        diagnostics: list[Diagnostic],
        aliases: Aliases | None = None,
        overlay: Mapping[str, bytes] | None = None,
    ) -> None:
        self.workspace = workspace
        #: files read from here instead of the disk, by workspace-relative path
        self.overlay = overlay or {}
        self.aliases = aliases
        self.diagnostics = diagnostics
        self.max_bytes = workspace.config.max_file_kb * 1024
        self.bundle = bundle
        self.seen: set[str] = set()

    def _parse(self, file: Path, rel: str) -> tuple[SourceFile, str]:
        raw = self.overlay.get(rel)
        if raw is None:
            raw = read_bytes(file, rel, max_bytes=self.max_bytes)
        key = digest(raw)
        self.seen.add(rel)
        cached = self.bundle.get(rel, key)
        if cached is None:
            try:
                cached = parse_markdown(decode(raw, rel), rel)
            except FileProblem as exc:
                cached = exc.diagnostic
            self.bundle.put(rel, key, cached)
        if isinstance(cached, Diagnostic):
            raise FileProblem(cached)
        return cast(SourceFile, cached), key.hex()

    def read(self, file: Path, rel: str, model: type[T]) -> Sourced[T] | None:
        try:
            source, key = self._parse(file, rel)
        except FileProblem as exc:
            self.diagnostics.append(exc.diagnostic)
            return None
        self.diagnostics.extend(source.source_map.findings)
        raw, hint = source.data, None
        aliases, kind = self.aliases, _ALIASED.get(model)
        if aliases is not None and kind is not None:
            raw = aliases.normalise(kind, raw)
            hint = functools.partial(aliases.suggest, kind)
        data, diags = validate_model(model, raw, source.source_map, hint)
        if data is None:
            self.diagnostics.extend(diags)
            return None
        return Sourced(rel, data, source.source_map, source.body, key)

    def close(self) -> None:
        """Forget cached files that are gone (the caller saves the bundle)."""
        self.bundle.keep_only(self.seen)


def engagement_folders(workspace: Workspace) -> list[Path]:
    """The engagement folders, sorted by name (hidden folders skipped)."""
    base = workspace.engagements_dir
    if not base.is_dir():
        return []
    return sorted(p for p in base.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))


def _listing(
    folder: Path,
    root: Path,
    rel: str,
    diagnostics: list[Diagnostic],
    overlay: Mapping[str, bytes] | None = None,
) -> dict[str, bool]:
    """Names in ``folder`` mapped to whether each is a directory (one scandir call).

    A symlink that leads out of the workspace is left out, with a diagnostic: its
    target is never read.  Links inside the workspace are followed.  Files of
    ``overlay`` (not written yet) are listed as if they were there.
    """
    out: dict[str, bool] = {}
    for path in overlay or ():
        if path.startswith(rel + "/"):
            first, *deeper = path[len(rel) + 1 :].split("/")
            out[first] = bool(deeper)
    if overlay and not folder.is_dir():
        return out
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_symlink() and not is_inside(root, entry.path):
                diagnostics.extend(
                    outside_error(root, entry.path, f"{rel}/{entry.name}").diagnostics
                )
                continue
            out[entry.name] = entry.is_dir()
    return out


def load_engagement(
    folder: Path,
    workspace: Workspace,
    process: Process,
    diagnostics: list[Diagnostic],
    bundle: Bundle | None = None,
    overlay: Mapping[str, bytes] | None = None,
) -> Engagement:
    """Load one engagement folder; problems go to ``diagnostics``.

    ``bundle`` holds the folder's cached parse results, and takes what is parsed anew.
    ``overlay`` holds files (by workspace-relative path) read in place of the disk's, or
    besides it: how an edit is checked before anything is written.
    """
    loader = _FileLoader(
        workspace, bundle or Bundle(folder.name), diagnostics, process.aliases, overlay
    )
    rel = workspace.rel(folder)
    engagement = Engagement(folder.name, folder, rel)
    stage_files = process.stage_by_file
    listing = _listing(folder, workspace.root, rel, diagnostics, overlay)
    if "index.md" not in listing:
        diagnostics.append(
            Location(f"{rel}/index.md").diagnostic(
                "error",
                "missing-file",
                msg("engagement folder has no index.md"),
                msg("run 'docgen new' to scaffold an engagement"),
            )
        )
    for name in sorted(listing):
        if listing[name]:
            if name in ("meetings", "documents"):
                _load_records(loader, engagement, name)
            continue
        if _TEMPORARY.match(name):
            diagnostics.append(_stray(f"{rel}/{name}"))
            continue
        if not name.endswith(".md"):
            continue
        path, file_rel = folder / name, f"{rel}/{name}"
        if name in stage_files:
            s = loader.read(path, file_rel, StageFile)
            if s is None:
                engagement.broken.add(name)
            else:
                engagement.stages[stage_files[name].id] = s
        elif name in FILE_KINDS:
            loaded = loader.read(path, file_rel, FILE_KINDS[name])
            if loaded is None:
                engagement.broken.add(name)
            else:
                setattr(engagement, name.removesuffix(".md"), loaded)
        elif name.lower() != "readme.md":
            known = [*FILE_KINDS, *stage_files]
            diagnostics.append(
                Location(file_rel).diagnostic(
                    "warning",
                    "unknown-file",
                    msg("docgen does not know the file '%(name)s'; it is not read", name=name),
                    did_you_mean(name, known) or "keep free notes in a notes/ folder",
                )
            )
    loader.close()
    return engagement


_TEMPORARY = re.compile(TEMP_PATTERN)


def _stray(rel: str) -> Diagnostic:
    return Location(rel).diagnostic(
        "warning",
        "stray-temp-file",
        msg("%(rel)s was left by a write that did not finish (docgen was stopped)", rel=rel),
        msg(
            "the file it was writing is as it was before; docgen's next write in this "
            "folder removes it, or delete it"
        ),
    )


def _load_records(loader: _FileLoader, engagement: Engagement, sub: str) -> None:
    """Load meetings/*.md or documents/*.md."""
    model: type[Meeting] | type[DocumentRecord] = Meeting if sub == "meetings" else DocumentRecord
    listing = _listing(
        engagement.folder / sub,
        loader.workspace.root,
        f"{engagement.rel}/{sub}",
        loader.diagnostics,
        loader.overlay,
    )
    for name in sorted(n for n, is_dir in listing.items() if _TEMPORARY.match(n)):
        loader.diagnostics.append(_stray(f"{engagement.rel}/{sub}/{name}"))
    for name in sorted(n for n, is_dir in listing.items() if not is_dir and n.endswith(".md")):
        path, rel = engagement.folder / sub / name, f"{engagement.rel}/{sub}/{name}"
        record = loader.read(path, rel, model)
        if record is None:
            engagement.broken.add(f"{sub}/{name}")
        elif isinstance(record.data, Meeting):
            engagement.meetings.append(cast(Sourced[Meeting], record))
        else:
            engagement.documents[name.removesuffix(".md")] = cast(Sourced[DocumentRecord], record)


def engagement_codes(workspace: Workspace, folders: Iterable[Path]) -> list[CodeUse]:
    """The project code (项目编号) of each folder's index.md and where it is written.

    Only the front matter is read (no schema validation): enough to say a code is taken
    without loading the whole portfolio.  Files that do not read are skipped.
    """
    uses = []
    cache = ParseCache(workspace.root)
    for folder in folders:
        if folder.is_symlink() and not is_inside(workspace.root, folder):
            continue
        rel = f"{workspace.rel(folder)}/index.md"
        try:
            # read through the cache, never written back: one file is not the whole bundle
            loader = _FileLoader(workspace, cache.bundle(folder.name), [])
            source, _ = loader._parse(folder / "index.md", rel)
        except FileProblem:
            continue
        code = source.data.get("code")
        if isinstance(code, str | int) and not isinstance(code, bool) and str(code).strip():
            uses.append(CodeUse(folder.name, str(code), source.source_map.locate(("code",))))
    cache.close()
    return uses


@dataclass(frozen=True, slots=True)
class CodeUse:
    """An engagement code (项目编号) and where it is written, for the duplicate check."""

    engagement: str
    code: str
    where: Location


def open_portfolio(root: Path | None = None) -> tuple[Workspace, Process]:
    """Open the workspace at ``root`` and its process definition (no engagements yet)."""
    workspace = open_workspace(root)
    return workspace, process_of(workspace)


def process_of(workspace: Workspace) -> Process:
    """The process definition an open workspace names."""
    process_file = workspace.process_file
    if not process_file.is_file():
        raise DocgenError(
            msg(
                (
                    "process file %(rel)s not found; run 'docgen init' or set "
                    "'process:' in the docgen section of mkdocs.yml"
                ),
                rel=workspace.rel(process_file),
            )
        )
    return load_process(process_file, workspace.rel(process_file))


def select_folders(workspace: Workspace, only: Iterable[str] | None) -> list[Path]:
    """The engagement folders to load: all, or those named (a `DocgenError` if unknown)."""
    folders = engagement_folders(workspace)
    if only is None:
        return folders
    by_name = {f.name: f for f in folders}
    wanted = list(only)
    for name in wanted:
        if name not in by_name:
            hint = did_you_mean(name, by_name)
            where = {"id": name, "folder": workspace.config.engagements}
            raise DocgenError(
                msg("no engagement '%(id)s' in %(folder)s/; %(hint)s", hint=hint, **where)
                if hint
                else msg("no engagement '%(id)s' in %(folder)s/", **where)
            )
    return [by_name[n] for n in wanted]


def load_portfolio(
    root: Path | None = None,
    only: Iterable[str] | None = None,
    *,
    workspace: Workspace | None = None,
) -> Portfolio:
    """Load the workspace at ``root``: config, process and engagements (``only`` limits).

    ``workspace``, when already open, is used as it is.
    """
    if workspace is None:
        workspace = open_workspace(root)
    return load_folders(workspace, process_of(workspace), select_folders(workspace, only))


def load_folders(workspace: Workspace, process: Process, folders: list[Path]) -> Portfolio:
    """Load the given engagement folders of an open workspace."""
    diagnostics: list[Diagnostic] = []
    root = workspace.root
    inside = []
    for folder in folders:
        if folder.is_symlink() and not is_inside(root, folder):
            diagnostics.extend(outside_error(root, folder, workspace.rel(folder)).diagnostics)
        else:
            inside.append(folder)
    cache = ParseCache(root)
    kept = Store(root, "engagements")
    shared = _shared_key(workspace)
    engagements = []
    with _collector_paused():
        for folder in inside:
            inputs, files = folder_inputs(folder, root)
            key = Fingerprint(shared, inputs).digest()
            hit = kept.get(folder.name, key)
            if isinstance(hit, tuple) and len(hit) == 2 and isinstance(hit[0], Engagement):
                engagement, found = hit
            else:
                bundle, found = cache.bundle(folder.name), []
                engagement = load_engagement(folder, workspace, process, found, bundle)
                cache.keep(bundle)
                kept.put(folder.name, key, (engagement, found))
            engagement.inputs = inputs
            engagement.files = files
            diagnostics.extend(found)
            engagements.append(engagement)
    cache.save()
    kept.save()
    return Portfolio(workspace, process, engagements, diagnostics)


def _shared_key(workspace: Workspace) -> bytes:
    """What every engagement is loaded with: docgen's code, the process file, the config.

    A loaded engagement is kept under this and the status of its folder's files (see
    `docgen.core.fingerprint`); loading one anew costs about a millisecond, most of it in
    checking its values against the models.
    """
    return Fingerprint(
        code_version(),
        tree_status(workspace.root, [], [workspace.process_file]),
        workspace.config.model_dump_json(),
    ).digest()


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic GC while building many acyclic objects.

    On resuming, what was built is moved to the collector's permanent generation
    (`gc.freeze`): the model holds no reference cycles, so scanning it again and again
    in later collections only costs time (about 0.2 s for 1,000 engagements).  Frozen
    objects are still freed by reference counting when dropped.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.freeze()
            gc.enable()
