"""Where docgen may read and write: inside the workspace, never through a link out of it.

Every read of a user's file and every write docgen makes goes through `contain` (or,
for a folder listing, `entry_inside`), so a symlinked engagement, meeting file, template
or output folder pointing elsewhere is refused with a located diagnostic instead of
being followed.  The modes of new files and folders follow the user's umask
(`new_file_mode`), as ``open()`` and ``mkdir`` would give them.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from docgen.core.diagnostics import DocgenError, Location
from docgen.core.i18n import msg

_UMASK_LINE = re.compile(rb"^Umask:\s*([0-7]+)$", re.MULTILINE)


def is_inside(root: Path, path: Path | str) -> bool:
    """Whether ``path``, with every symlink resolved, lies in ``root`` (itself resolved)."""
    real = os.path.realpath(path)
    base = os.path.realpath(root)
    return real == base or real.startswith(os.path.join(base, ""))


def outside_error(root: Path, path: Path | str, rel: str, line: int = 1) -> DocgenError:
    """The refusal for a path that leads out of the workspace, located at ``rel:line``."""
    real = os.path.realpath(path)
    return DocgenError(
        msg("%(rel)s leads outside the workspace (%(real)s); refused", rel=rel, real=real),
        [
            Location(rel, line).diagnostic(
                "error",
                "outside-workspace",
                msg("'%(rel)s' resolves to %(real)s, outside the workspace", rel=rel, real=real),
                msg(
                    "docgen reads and writes only inside the workspace; replace "
                    "the link with the files themselves"
                ),
            )
        ],
    )


def contain(root: Path, path: Path, rel: str | None = None) -> Path:
    """``path`` if it resolves inside ``root``; otherwise a `DocgenError` naming it.

    A path that does not exist yet is judged by the nearest folder above it that does,
    so writing a new file through a symlinked folder is refused too.
    """
    probe = Path(os.path.abspath(path))
    base = Path(os.path.abspath(root))
    while not os.path.lexists(probe) and probe != base and probe.parent != probe:
        probe = probe.parent
    if not probe.is_relative_to(base) or not is_inside(root, probe):
        raise outside_error(root, probe, rel or relative(root, path))
    return path


def relative(root: Path, path: Path) -> str:
    """``path`` relative to ``root`` with POSIX separators (as given, when outside it)."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def current_umask() -> int:
    """The process's umask, read without changing it where the system allows."""
    try:
        with open("/proc/self/status", "rb") as fh:
            match = _UMASK_LINE.search(fh.read())
        if match:
            return int(match.group(1), 8)
    except OSError:
        pass
    mask = os.umask(0o022)  # elsewhere: set and restore (not thread-safe, but brief)
    os.umask(mask)
    return mask


def new_file_mode() -> int:
    """The mode ``open(path, "w")`` would give a new file: 0666 less the umask."""
    return 0o666 & ~current_umask()


def new_folder_mode() -> int:
    """The mode ``mkdir`` would give a new folder: 0777 less the umask."""
    return 0o777 & ~current_umask()


def user_output(path: Path, root: Path) -> Path:
    """A file the user named on the command line (``-o``): anywhere they choose.

    A path outside the workspace is theirs to name; one inside it must not lead out
    through a link found there (`contain` says which link and where it leads).
    """
    target = Path(os.path.normpath(path.absolute()))
    if target.is_relative_to(Path(os.path.abspath(root))):
        contain(root, target, relative(Path(os.path.abspath(root)), target))
    return output_file(target, root)


def output_file(path: Path, root: Path) -> Path:
    """``path`` for a file the user named on the command line (an export, a schema).

    An existing folder anywhere is the user's choice; a missing one is made only inside
    the workspace or the current folder, never elsewhere by a typo.
    """
    output_folder(path.parent, root)
    return path


def output_folder(folder: Path, root: Path) -> Path:
    """``folder`` for output the user named; see `output_file` for where it may be made."""
    folder = Path(os.path.normpath(folder.absolute()))
    if folder.is_dir():
        return folder
    for base in (root, Path.cwd()):
        if is_inside(base, _existing_ancestor(folder)):
            return folder
    raise DocgenError(
        msg(
            (
                "folder %(folder)s does not exist; docgen makes missing "
                "folders only inside the workspace (%(root)s) or the current "
                "folder: create it first"
            ),
            folder=folder,
            root=root,
        )
    )


def _existing_ancestor(path: Path) -> Path:
    while not path.exists() and path.parent != path:
        path = path.parent
    return path
