"""Export .docx files to PDF through one LibreOffice process (run by the system's python3).

This file is not imported by docgen: `docgen.core.office` runs it with a Python that has
LibreOffice's ``uno`` module (Debian: python3-uno), which docgen's own venv does not.

Input, as JSON on stdin: ``{"soffice": path, "profile": folder, "jobs": [[docx, pdf], …]}``.
Output: one JSON line per job, ``{"pdf": path}`` or ``{"pdf": path, "error": text}``.

Each document's indexes (the 目录) are updated before export, so the PDF's table of
contents has its entries and page numbers; fonts are embedded, the standard ones too.
"""

import contextlib
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

import uno  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]
from com.sun.star.connection import NoConnectException  # type: ignore[import-not-found]

START_SECONDS = 90


def _props(**values: Any) -> tuple[Any, ...]:
    return tuple(PropertyValue(Name=k, Value=v) for k, v in values.items())


def _as_array(props: tuple[Any, ...]) -> Any:
    return uno.Any("[]com.sun.star.beans.PropertyValue", props)


def _connect(request: dict[str, Any], pipe: str) -> tuple[subprocess.Popen[bytes], Any]:
    office = subprocess.Popen(
        [
            request["soffice"],
            "--headless",
            "--invisible",
            "--nologo",
            "--norestore",
            "--nodefault",
            "--nolockcheck",
            "-env:UserInstallation=" + uno.systemPathToFileUrl(request["profile"]),
            f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local
    )
    deadline = time.monotonic() + START_SECONDS
    while True:
        try:
            context = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            return office, context
        except NoConnectException:
            if office.poll() is not None or time.monotonic() > deadline:
                office.kill()
                raise SystemExit("LibreOffice did not start") from None
            time.sleep(0.2)


def _export(desktop: Any, source: str, target: str) -> None:
    document = desktop.loadComponentFromURL(
        uno.systemPathToFileUrl(source), "_blank", 0, _props(Hidden=True)
    )
    if document is None:
        raise RuntimeError("LibreOffice could not open the file")
    try:
        indexes = document.getDocumentIndexes()
        for i in range(indexes.getCount()):
            indexes.getByIndex(i).update()
        pdf_options = _props(EmbedStandardFonts=True, ExportBookmarks=True, UseTaggedPDF=True)
        args = _props(FilterName="writer_pdf_Export", FilterData=_as_array(pdf_options))
        uno.invoke(document, "storeToURL", (uno.systemPathToFileUrl(target), _as_array(args)))
    finally:
        document.close(True)


Job = Callable[[Any, Any, list[Any]], dict[str, Any]]


def serve(request: dict[str, Any], name: str, job: Job) -> None:
    """Run ``job(desktop, context, args)`` for each ``request["jobs"]`` in one office.

    Each report is printed as a JSON line, and the office is stopped at the end.  A job
    that raises is reported with its error; the others go on.  ``name`` is the report's
    key for the job's output (its last argument).
    """
    office, context = _connect(request, f"docgen-{os.getpid()}")
    desktop = context.ServiceManager.createInstanceWithContext(
        "com.sun.star.frame.Desktop", context
    )
    try:
        for args in request["jobs"]:
            try:
                print(json.dumps(job(desktop, context, args)), flush=True)
            except Exception as exc:  # one bad document does not stop the others
                print(json.dumps({name: args[-1], "error": str(exc) or type(exc).__name__}))
    finally:
        with contextlib.suppress(Exception):  # the office may be gone already; killed below
            desktop.terminate()
        try:
            office.wait(timeout=30)
        except subprocess.TimeoutExpired:
            office.kill()


def _export_job(desktop: Any, context: Any, args: list[Any]) -> dict[str, Any]:
    source, target = args
    _export(desktop, source, target)
    return {"pdf": target}


def main() -> None:
    """Read the jobs, export each, report each."""
    serve(json.load(sys.stdin), "pdf", _export_job)


if __name__ == "__main__":
    main()
