"""Decap CMS's JavaScript: fetched once from the npm registry, pinned, kept with its licence.

The editor runs from the site itself, never from a CDN.  ``docgen cms install`` asks npm
for the one pinned package (``npm pack``: its tarball only, not the 700 packages its
sources depend on, which its bundle already holds), checks the tarball against the
integrity the registry published for that version, and unpacks the bundle and its
licence notices into ``<output>/vendor/decap-cms-<version>/``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

from docgen.core.diagnostics import DocgenError
from docgen.core.i18n import msg
from docgen.workspace.config import Workspace

PACKAGE = "decap-cms"
VERSION = "3.16.3"
#: ``npm view decap-cms@3.16.3 dist.integrity``
INTEGRITY = (
    "sha512-hf+dPlCh7TJmWl8+6VRzHYOWhri5xgUknrZbDewaWe4s9B7xJ8PQugp2QHeSldMUKzav6+z0oIpwUYhUJDYtYw=="
)  # fmt: skip
LICENCE = f"""Decap CMS {VERSION} (https://github.com/decaporg/decap-cms), from the npm registry.
Licensed under the MIT License:

Copyright (c) 2016 Netlify <decap@p-m.si>

Permission is hereby granted, free of charge, to any person obtaining a copy of this
software and associated documentation files (the "Software"), to deal in the Software
without restriction, including without limitation the rights to use, copy, modify, merge,
publish, distribute, sublicense, and/or sell copies of the Software, and to permit persons
to whom the Software is furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all copies or
substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED,
INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR
PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE
FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR
OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER
DEALINGS IN THE SOFTWARE.

The bundle's own notices for the libraries it holds are in decap-cms.js.LICENSE.txt.
"""


def vendor_dir(workspace: Workspace) -> Path:
    """Where the pinned bundle is unpacked."""
    return workspace.root / workspace.config.output / "vendor" / f"{PACKAGE}-{VERSION}"


def installed(workspace: Workspace) -> Path:
    """The unpacked bundle's folder, or a `DocgenError` saying how to get it."""
    folder = vendor_dir(workspace)
    if not (folder / "decap-cms.js").is_file():
        raise DocgenError(
            msg(
                (
                    "the web editor's JavaScript (%(package)s %(version)s) is not installed: "
                    "run 'docgen cms install' once (it needs npm and the npm registry)"
                ),
                package=PACKAGE,
                version=VERSION,
            )
        )
    return folder


def install(workspace: Workspace) -> Path:
    """Fetch the pinned package with npm, check its integrity, unpack the bundle."""
    folder = vendor_dir(workspace)
    if (folder / "decap-cms.js").is_file():
        return folder
    npm = shutil.which("npm")
    if npm is None:
        raise DocgenError(
            msg(
                "npm is not installed; the web editor comes from the npm registry "
                "(Debian: apt-get install npm)"
            )
        )
    with tempfile.TemporaryDirectory() as tmp:
        done = subprocess.run(
            [npm, "pack", f"{PACKAGE}@{VERSION}", "--json", "--pack-destination", tmp],
            capture_output=True,
            text=True,
            check=False,
            cwd=tmp,
        )
        if done.returncode != 0:
            raise DocgenError(
                msg(
                    "npm could not fetch %(package)s %(version)s: %(error)s",
                    package=PACKAGE,
                    version=VERSION,
                    error=done.stderr.strip()[-500:],
                )
            )
        tarball = Path(tmp) / json.loads(done.stdout)[0]["filename"]
        digest = base64.b64encode(hashlib.sha512(tarball.read_bytes()).digest()).decode()
        if f"sha512-{digest}" != INTEGRITY:
            raise DocgenError(
                msg(
                    "%(package)s %(version)s from the registry does not match its pinned "
                    "integrity; nothing was installed",
                    package=PACKAGE,
                    version=VERSION,
                )
            )
        partial = folder.with_name(folder.name + ".partial")
        shutil.rmtree(partial, ignore_errors=True)
        partial.mkdir(parents=True)
        with tarfile.open(tarball) as archive:
            for member in archive.getmembers():
                name = member.name.removeprefix("package/dist/")
                if member.isfile() and "/" not in name and _wanted(name):
                    source = archive.extractfile(member)
                    assert source is not None
                    (partial / name).write_bytes(source.read())
        (partial / "LICENSE.txt").write_text(LICENCE, encoding="utf-8")
        shutil.rmtree(folder, ignore_errors=True)
        partial.rename(folder)
    return folder


def _wanted(name: str) -> bool:
    """The UMD bundle, its chunks and its licence notices; not the source maps."""
    return name.endswith("decap-cms.js") or name == "decap-cms.js.LICENSE.txt"


def assets(folder: Path) -> list[Path]:
    """The files of an unpacked bundle that the admin page serves."""
    return sorted(p for p in folder.iterdir() if p.is_file())
