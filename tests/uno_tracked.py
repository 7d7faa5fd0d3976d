"""Accept or reject every tracked change in LibreOffice, then export the text (tests only).

Run by a Python with LibreOffice's ``uno`` module, as docgen's own PDF export is; it
starts the office the same way (``docgen/data/uno_export.py``).

Input, as JSON on stdin: ``{"soffice": path, "profile": folder, "jobs": [[docx, action,
txt], …]}`` where action is ``accept``, ``reject`` or ``keep``.  Output: one JSON line per
job: ``{"txt": path, "redlines": n, "authors": [...], "dates": [...]}`` (the counts are
read before the action), or ``{"txt": path, "error": text}``.
"""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src" / "docgen" / "data"))

import uno  # type: ignore[import-not-found]
from uno_export import _as_array, _props, serve  # type: ignore[import-not-found]


def _run(desktop, context, source, action, target):
    document = desktop.loadComponentFromURL(
        uno.systemPathToFileUrl(source), "_blank", 0, _props(Hidden=True)
    )
    if document is None:
        raise RuntimeError("LibreOffice could not open the file")
    try:
        redlines = document.getRedlines()
        authors, dates, count = set(), set(), 0
        enumeration = redlines.createEnumeration()
        while enumeration.hasMoreElements():
            redline = enumeration.nextElement()
            count += 1
            authors.add(redline.getPropertyValue("RedlineAuthor"))
            when = redline.getPropertyValue("RedlineDateTime")
            dates.add(f"{when.Year:04d}-{when.Month:02d}-{when.Day:02d}")
        if action != "keep":
            dispatcher = context.ServiceManager.createInstanceWithContext(
                "com.sun.star.frame.DispatchHelper", context
            )
            frame = document.getCurrentController().getFrame()
            command = (
                ".uno:AcceptAllTrackedChanges"
                if action == "accept"
                else (".uno:RejectAllTrackedChanges")
            )
            dispatcher.executeDispatch(frame, command, "", 0, ())
        args = _props(FilterName="Text (encoded)", FilterOptions="UTF8,LF")
        uno.invoke(document, "storeToURL", (uno.systemPathToFileUrl(target), _as_array(args)))
        return {
            "txt": target,
            "redlines": count,
            "authors": sorted(authors),
            "dates": sorted(dates),
        }
    finally:
        document.close(True)


def main():
    serve(json.load(sys.stdin), "txt", lambda desktop, context, job: _run(desktop, context, *job))


if __name__ == "__main__":
    main()
