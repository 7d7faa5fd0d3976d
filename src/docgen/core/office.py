"""PDFs of rendered .docx files, made by LibreOffice: many documents, an office per core.

LibreOffice is driven over UNO by ``docgen/data/uno_export.py``, run with the Python
that carries LibreOffice's ``uno`` module (Debian: python3-uno): it starts one headless
office, updates each document's 目录 so the PDF's contents list has page numbers, and
exports with fonts embedded.  ``soffice --convert-to pdf`` would start an office per
call and leave the 目录 empty; unoserver does the same as this over a network socket,
with a server to keep alive, which a batch at the end of a render does not need.  A
LibreOffice converts on one core: a large batch is shared among one office per core,
each with its own profile (`export_pdfs`'s ``offices``).

Without LibreOffice, docgen makes no PDFs and says so once; everything else goes on.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

from docgen.core.diagnostics import Diagnostic, Location
from docgen.core.i18n import msg

#: The Debian packages PDFs need (see system-packages.txt).
PACKAGES = "libreoffice-writer-nogui python3-uno fonts-noto-cjk"
#: Seconds allowed for starting the office plus this much per document.
SECONDS_PER_DOCUMENT = 60
#: Documents an office is worth starting for: a second office costs a few seconds' start
DOCUMENTS_PER_OFFICE = 6


@dataclass(frozen=True)
class Office:
    """A LibreOffice that can be driven: its ``soffice`` and a Python with ``uno``."""

    soffice: str
    python: str


@dataclass
class PdfReport:
    """What an export did."""

    written: list[Path] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)


@cache
def find_office() -> Office | None:
    """The installed LibreOffice and a Python that drives it, or None."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        return None
    program = Path(os.path.realpath(soffice)).parent
    for python in (program / "python", Path("/usr/bin/python3"), Path("/usr/local/bin/python3")):
        if python.is_file() and _imports_uno(python):
            return Office(soffice, str(python))
    return None


def _imports_uno(python: Path) -> bool:
    try:
        done = subprocess.run(
            [str(python), "-c", "import uno"], capture_output=True, timeout=30, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


def unavailable(where: str, count: int) -> Diagnostic:
    """The one warning for a run that wanted ``count`` PDFs and has no LibreOffice."""
    return Location(where).diagnostic(
        "warning",
        "pdf-unavailable",
        msg(
            (
                "%(count)s PDF(s) not made: PDFs need LibreOffice with its "
                "Python bridge, which is not installed; the .docx files and "
                "the site are made as usual"
            ),
            count=count,
        ),
        msg("install it, e.g. sudo apt-get install -y %(packages)s", packages=PACKAGES),
    )


#: the folders PDFs are made in, inside the output folder
STAGING_PREFIX = ".docgen-office-"
#: a staging folder older than this was left by a run that was killed
LEFTOVER_SECONDS = 3600


def _remove_leftovers(staging: Path) -> None:
    """Remove the staging folders (profiles, half-made PDFs) of runs that were killed."""
    limit = time.time() - LEFTOVER_SECONDS
    for entry in staging.glob(STAGING_PREFIX + "*"):
        try:
            if entry.is_dir() and not entry.is_symlink() and entry.stat().st_mtime < limit:
                shutil.rmtree(entry, ignore_errors=True)
        except OSError:
            continue


def export_pdfs(
    pairs: list[tuple[Path, Path]], staging: Path, where: str, offices: int | None = None
) -> PdfReport:
    """Write each (docx, pdf) pair's PDF, replacing the old one only when the new is made.

    PDFs are made in a temporary folder inside ``staging`` (on the targets' file system)
    and moved into place whole.  ``where`` (workspace-relative) is the location that
    diagnostics name.  ``offices`` LibreOffice processes share the work (default: one per
    core, and no more than one per `DOCUMENTS_PER_OFFICE` documents).
    """
    report = PdfReport()
    if not pairs:
        return report
    if staging.is_dir():
        _remove_leftovers(staging)
    office = find_office()
    if office is None:
        report.diagnostics.append(unavailable(where, len(pairs)))
        return report
    wanted = offices or os.cpu_count() or 1
    count = max(1, min(wanted, -(-len(pairs) // DOCUMENTS_PER_OFFICE)))
    staging.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=STAGING_PREFIX, dir=staging.resolve()) as tmp:
        staged = {str(Path(tmp) / f"{i}.pdf"): target for i, (_, target) in enumerate(pairs)}
        jobs = [[str(src.resolve()), out] for (src, _), out in zip(pairs, staged, strict=True)]
        shares = [jobs[i::count] for i in range(count)]
        with ThreadPoolExecutor(count) as pool:
            answers = list(
                pool.map(lambda n: _convert(office, shares[n], Path(tmp) / str(n)), range(count))
            )
        results: dict[str, str | None] = {}
        failures: dict[str, str] = {}
        for share, (found, failure) in zip(shares, answers, strict=True):
            results.update(found)
            if failure:
                failures.update({out: failure for _, out in share})
        for staged_pdf, target in staged.items():
            error = results.get(staged_pdf, failures.get(staged_pdf, "no result"))
            if error is None and Path(staged_pdf).is_file():
                os.replace(staged_pdf, target)
                report.written.append(target)
            else:
                report.diagnostics.append(
                    Location(where).diagnostic(
                        "warning",
                        "pdf-failed",
                        msg(
                            "LibreOffice could not make %(name)s: %(error)s",
                            name=target.name,
                            error=error,
                        ),
                        msg("open the .docx in LibreOffice to see why"),
                    )
                )
    return report


def _convert(
    office: Office, jobs: list[list[str]], folder: Path
) -> tuple[dict[str, str | None], str | None]:
    """One office's share: each staged PDF's error (None when made), or why all failed."""
    folder.mkdir()
    script = Path(str(resources.files("docgen.data").joinpath("uno_export.py")))
    request = {"soffice": office.soffice, "profile": str(folder / "profile"), "jobs": jobs}
    try:
        done = subprocess.run(
            [office.python, str(script)],
            # LibreOffice's own temporary files go in the folder removed after it
            env={**os.environ, "TMPDIR": str(folder), "TMP": str(folder), "TEMP": str(folder)},
            input=json.dumps(request),
            capture_output=True,
            text=True,
            timeout=SECONDS_PER_DOCUMENT * (len(jobs) + 1),
            check=False,
        )
        output = done.stdout
        lines = done.stderr.strip().splitlines()[-1:] if done.returncode else []
        failure = lines[0] if lines else ("LibreOffice failed" if done.returncode else None)
    except subprocess.TimeoutExpired as exc:
        output = exc.stdout.decode() if isinstance(exc.stdout, bytes) else exc.stdout or ""
        failure = "LibreOffice did not finish in time"
    results: dict[str, str | None] = {}
    for line in output.splitlines():
        try:
            item = json.loads(line)
        except ValueError:
            continue
        if isinstance(item, dict) and "pdf" in item:
            results[item["pdf"]] = item.get("error")
    return results, failure
