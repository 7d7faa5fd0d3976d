"""``docgen cms serve``: the web editor on this computer, editing the workspace's files.

One local server gives both the admin page and the API Decap CMS's ``local_backend``
speaks (the protocol of ``decap-server``, the Node proxy Decap ships for this: ``info``,
``entriesByFolder``, ``entriesByFiles``, ``getEntry``, ``persistEntry``, ``getMedia``,
``persistMedia`` …).  docgen answers it itself, for three reasons:

- a save is merged into the file as the smallest edit (`docgen.cms.merge`), so comments,
  key order and flow style survive; Decap's proxy writes what the editor serialised;
- every path resolves inside the workspace, and writes go only to ``.md`` files in the
  engagements folder and to the media folder; nothing is ever deleted;
- it listens on 127.0.0.1 only and answers only its own page (``Host`` and ``Origin``
  must be this server), so another web site open in the browser cannot write files.

Node.js is needed only once, to fetch the editor (``docgen cms install``).
"""

from __future__ import annotations

import base64
import hashlib
import json
import mimetypes
import os
import posixpath
import shutil
import threading
import urllib.parse
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from docgen import language
from docgen.atomic import write_atomic
from docgen.cms.admin import write_admin
from docgen.cms.merge import fresh, merged
from docgen.diagnostics import Diagnostic, DocgenError
from docgen.i18n import Message, catalogue, msg
from docgen.load import load_portfolio
from docgen.paths import is_inside
from docgen.scaffold import new_engagement
from docgen.validate import validate
from docgen.workspace import Workspace, open_workspace

#: the largest request body accepted (an uploaded image included)
MAX_BODY = 20 * 1024 * 1024


class Refused(Exception):
    """A request the server does not carry out, with the reason it gives."""

    def __init__(self, reason: Message) -> None:
        super().__init__(reason)
        self.reason = reason


class EditorBackend:
    """The workspace as Decap CMS's local backend sees it: paths from the root, '/'."""

    def __init__(self, workspace: Workspace, on_saved: Callable[[list[str]], None]) -> None:
        self.workspace = workspace
        self.root = workspace.root.resolve()
        self.engagements = workspace.engagements_dir.resolve()
        self.media = (self.root / workspace.config.cms.media_folder).resolve()
        self.on_saved = on_saved
        self.lock = threading.Lock()
        #: the editor's reasons for a refusal are in the workspace's language
        self.t = catalogue(language.chosen(None, self.root))
        #: what the editor sent for each file saved (its own serialisation, kept for tests)
        self.received: dict[str, str] = {}

    def answer(self, action: str, params: dict[str, Any]) -> Any:
        """The JSON answer to one API call."""
        if action == "info":
            return {"repo": self.root.name, "publish_modes": ["simple"], "type": "local_fs"}
        if action == "entriesByFolder":
            folder = self._inside(params.get("folder", ""))
            depth = int(params.get("depth", 1))
            return [self._entry(p) for p in _files(folder, params.get("extension", ""), depth)]
        if action == "entriesByFiles":
            return [self._entry(self._inside(f["path"]), f.get("label")) for f in params["files"]]
        if action == "getEntry":
            return self._entry(self._inside(params["path"]))
        if action == "persistEntry":
            files = params.get("dataFiles") or [params["entry"]]
            with self.lock:
                saved = [self._persist(f) for f in files]
                for asset in params.get("assets", []):
                    self._write_media(asset)
            self.on_saved(saved)
            return {"message": "entry persisted"}
        if action == "getMedia":
            folder = self._inside(params.get("mediaFolder", ""))
            return [self._media(p) for p in _files(folder, "", 1)]
        if action == "getMediaFile":
            return self._media(self._inside(params["path"]))
        if action == "persistMedia":
            with self.lock:
                path = self._write_media(params["asset"])
            return self._media(path)
        if action in ("deleteFile", "deleteFiles"):
            raise Refused(msg("docgen does not delete files from the editor; use git (git rm)"))
        if action == "getDeployPreview":
            return None
        raise Refused(msg("unknown action %(action)s", action=action))

    def _inside(self, rel: str) -> Path:
        path = (self.root / rel).resolve()
        if not is_inside(self.root, path):
            raise Refused(msg("%(rel)s is outside the workspace", rel=rel))
        return path

    def _rel(self, path: Path) -> str:
        return path.resolve().relative_to(self.root).as_posix()

    def _entry(self, path: Path, label: str | None = None) -> dict[str, Any]:
        rel = self._rel(path)
        try:
            raw = path.read_bytes()
        except OSError:
            return {"data": None, "file": {"path": rel, "label": label, "id": None}}
        data = raw.decode("utf-8", errors="replace")
        sha = hashlib.sha256(raw).hexdigest()
        return {"data": data, "file": {"path": rel, "label": label, "id": sha}}

    def _media(self, path: Path) -> dict[str, Any]:
        raw = path.read_bytes()
        return {
            "id": hashlib.sha256(raw).hexdigest(),
            "content": base64.b64encode(raw).decode(),
            "encoding": "base64",
            "path": self._rel(path),
            "name": path.name,
        }

    def _persist(self, data_file: dict[str, Any]) -> str:
        rel = str(data_file["path"])
        new_path = data_file.get("newPath")
        if new_path and new_path != rel:
            raise Refused(msg("docgen does not rename files from the editor; use git (git mv)"))
        path = self._inside(rel)
        if path.suffix != ".md" or not is_inside(self.engagements, path):
            raise Refused(
                msg("%(rel)s: the editor writes only .md files in the engagements folder", rel=rel)
            )
        raw = str(data_file["raw"])
        self.received[rel] = raw
        engagement = path.relative_to(self.engagements).parts[0]
        before = self._errors(engagement)
        old = path.read_bytes() if path.exists() else None
        new_engagement = not (self.engagements / engagement).exists()
        new_folder = not path.parent.exists()
        if old is not None:
            write_atomic(path, merged(path, rel, raw), root=self.root)
        else:
            self._create(path, rel, raw)
        new_errors = [d for k, d in self._errors(engagement).items() if k not in before]
        if new_errors:  # the save is undone: the file stays as it was
            if old is not None:
                write_atomic(path, old, root=self.root)
            elif new_engagement:
                shutil.rmtree(self.engagements / engagement, ignore_errors=True)
            else:  # the new file, and a meetings/ folder made for it
                path.unlink(missing_ok=True)
                if new_folder:
                    path.parent.rmdir()
            said = "; ".join(d.format(self.t) for d in new_errors[:3])
            raise Refused(msg("not saved: it would not validate: %(errors)s", errors=said))
        return rel

    def _errors(self, engagement: str) -> dict[tuple[str, str, str], Diagnostic]:
        """The engagement's errors, by file, code and text (lines move as files change)."""
        if not (self.engagements / engagement).is_dir():
            return {}
        found = validate(self.root, only=[engagement]).diagnostics
        return {(d.path, d.code, str(d.message)): d for d in found if d.is_error}

    def _create(self, path: Path, rel: str, raw: str) -> None:
        parts = path.relative_to(self.engagements).parts
        if len(parts) == 2 and parts[1] == "index.md":
            self._new_engagement(path, rel, raw)
        elif len(parts) == 3 and parts[1] == "meetings" and path.parent.parent.is_dir():
            _, text = fresh(raw, rel)
            path.parent.mkdir(exist_ok=True)
            write_atomic(path, text, root=self.root)
        else:
            raise Refused(
                msg("%(rel)s: the editor makes new engagements and meetings only", rel=rel)
            )

    def _new_engagement(self, path: Path, rel: str, raw: str) -> None:
        """Scaffold the engagement as ``docgen new`` does, then set what the form gave."""
        data, _ = fresh(raw, rel)
        partner = data.get("partner")
        code = data.get("code")
        new_engagement(
            self.root,
            path.parent.name,
            title=str(data.get("title", "")),
            partner=str(partner.get("name", "")) if isinstance(partner, dict) else "",
            mode=str(data.get("mode", "")),
            owner=str(data.get("owner", "")),
            code=str(code) if code else None,
        )
        write_atomic(path, merged(path, rel, raw, additions_only=True), root=self.root)

    def _write_media(self, asset: dict[str, Any]) -> Path:
        path = self._inside(asset["path"])
        if not is_inside(self.media, path):
            raise Refused(
                msg(
                    "%(path)s: uploads go to %(folder)s/ only",
                    path=asset["path"],
                    folder=self._rel(self.media),
                )
            )
        content = (
            base64.b64decode(asset["content"])
            if asset.get("encoding") == "base64"
            else (str(asset["content"]).encode())
        )
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, content, root=self.root)
        return path


def _files(folder: Path, extension: str, depth: int) -> list[Path]:
    """Files under ``folder`` ending in ``extension``, ``depth`` levels down at most."""
    if depth <= 0 or not folder.is_dir():
        return []
    found: list[Path] = []
    for entry in sorted(os.scandir(folder), key=lambda e: e.name):
        if entry.name.startswith("."):
            continue
        if entry.is_dir(follow_symlinks=False):
            found += _files(Path(entry.path), extension, depth - 1)
        elif entry.is_file() and entry.name.endswith(extension):
            found.append(Path(entry.path))
    return found


def serve(
    root: Path | None,
    port: int,
    on_ready: Callable[[str], None] = lambda url: None,
    on_saved: Callable[[list[str]], None] = lambda paths: None,
) -> None:
    """Write the admin with this server as its backend, and serve both until stopped."""
    server, _ = editor_server(root, port, on_saved)
    on_ready(f"http://127.0.0.1:{server.server_address[1]}/admin/")
    try:
        server.serve_forever()
    finally:
        server.server_close()


def editor_server(
    root: Path | None, port: int, on_saved: Callable[[list[str]], None] = lambda paths: None
) -> tuple[ThreadingHTTPServer, EditorBackend]:
    """The server (bound, not yet serving) and its backend; port 0 takes a free one."""
    workspace = open_workspace(root)
    portfolio = load_portfolio(workspace.root)
    admin = workspace.root / workspace.config.output / "cms" / "admin"
    backend = EditorBackend(workspace, on_saved)
    server = _server(port, backend, admin)
    origin = f"http://127.0.0.1:{server.server_address[1]}"
    write_admin(portfolio, admin, local_backend=f"{origin}/api/v1")
    return server, backend


def _server(port: int, backend: EditorBackend, admin: Path) -> ThreadingHTTPServer:
    hosts: set[str] = set()  # filled once the port is bound

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass  # the terminal shows saves, not every request

        def _allowed(self) -> bool:
            if self.headers.get("Host") not in hosts:
                return False  # DNS rebinding: a page served by another name
            sender = self.headers.get("Origin")
            return sender is None or sender in {f"http://{h}" for h in hosts}

        def do_GET(self) -> None:
            if not self._allowed():
                return self._send(HTTPStatus.FORBIDDEN, b"forbidden", "text/plain")
            path = urllib.parse.urlsplit(self.path).path
            if path in ("/", "/admin"):
                self.send_response(HTTPStatus.FOUND)
                self.send_header("Location", "/admin/")
                self.end_headers()
                return None
            if not path.startswith("/admin/"):
                return self._send(HTTPStatus.NOT_FOUND, b"not found", "text/plain")
            name = posixpath.normpath(urllib.parse.unquote(path.removeprefix("/admin/")) or ".")
            file = (admin / ("index.html" if name == "." else name)).resolve()
            if not is_inside(admin.resolve(), file) or not file.is_file():
                return self._send(HTTPStatus.NOT_FOUND, b"not found", "text/plain")
            kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
            if file.suffix == ".yml":
                kind = "text/yaml"
            return self._send(HTTPStatus.OK, file.read_bytes(), kind)

        def do_POST(self) -> None:
            if not self._allowed() or urllib.parse.urlsplit(self.path).path != "/api/v1":
                return self._send(HTTPStatus.FORBIDDEN, b"forbidden", "text/plain")
            if "application/json" not in self.headers.get("Content-Type", ""):
                return self._json(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, {"error": "JSON only"})
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_BODY:
                return self._json(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, {"error": "too large"})
            try:
                body = json.loads(self.rfile.read(length) or b"{}")
                answer = backend.answer(str(body.get("action")), body.get("params") or {})
            except Refused as exc:
                return self._json(HTTPStatus.FORBIDDEN, {"error": backend.t.say(exc.reason)})
            except DocgenError as exc:
                said = backend.t.say(exc.message)
                return self._json(HTTPStatus.UNPROCESSABLE_ENTITY, {"error": said})
            except (ValueError, KeyError, TypeError) as exc:
                return self._json(HTTPStatus.BAD_REQUEST, {"error": f"bad request: {exc}"})
            return self._json(HTTPStatus.OK, answer)

        def _json(self, status: HTTPStatus, value: Any) -> None:
            data = json.dumps(value, ensure_ascii=False).encode()
            self._send(status, data, "application/json; charset=utf-8")

        def _send(self, status: HTTPStatus, data: bytes, kind: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(data)

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.daemon_threads = True
    bound = server.server_address[1]
    hosts.update({f"127.0.0.1:{bound}", f"localhost:{bound}"})
    return server
