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
import binascii
import hashlib
import json
import mimetypes
import os
import posixpath
import re
import secrets
import threading
import urllib.parse
from collections import OrderedDict
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from docgen.checks.validate import edit_findings
from docgen.cms.admin import write_admin
from docgen.cms.merge import fresh, merged, saved_base, with_base, with_done_today
from docgen.cms.uploads import upload_problem
from docgen.core.atomic import write_all_atomic
from docgen.core.diagnostics import Diagnostic, DocgenError
from docgen.core.i18n import Message, catalogue, msg
from docgen.core.paths import is_inside
from docgen.core.source import decode, parse_markdown
from docgen.domain.labels import FIELDS
from docgen.edits.scaffold import plan_new_engagement
from docgen.workspace import language
from docgen.workspace.config import Workspace, open_workspace
from docgen.workspace.load import load_portfolio

#: version tokens remembered (each listing gives one per entry)
TOKENS = 50_000
#: the largest request body accepted (an uploaded image included)
MAX_BODY = 20 * 1024 * 1024


class Refused(Exception):
    """A request the server does not carry out, with the reason it gives."""

    def __init__(self, reason: Message, fields: list[tuple[str, str]] | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        #: (label, why) of each form field the refusal is about, for the form to mark
        self.fields = fields or []


class EditorBackend:
    """The workspace as Decap CMS's local backend sees it: paths from the root, '/'.

    Every file the editor is given carries a token (`docgen.cms.merge.BASE_KEY`, a hidden
    field of every form) naming the version it was given; a save must bring it back.  A
    save made from a version that is no longer on disk (another window or git changed the
    file since) or sent to another file than the one loaded is refused.  A save is
    checked before anything is written, and all its files are written or none.
    """

    def __init__(self, workspace: Workspace, on_saved: Callable[[list[str]], None]) -> None:
        self.workspace = workspace
        self.root = workspace.root.resolve()
        self.engagements = workspace.engagements_dir.resolve()
        self.media = (self.root / workspace.config.cms.media_folder).resolve()
        self.uploads = list(workspace.config.cms.upload_types)
        self.on_saved = on_saved
        self.lock = threading.Lock()
        #: the editor's reasons for a refusal are in the workspace's language
        self.t = catalogue(language.chosen(None, self.root))
        #: what the editor sent for each file saved (its own serialisation, kept for tests)
        self.received: dict[str, str] = {}
        #: each token given out: the file it was given for and the sha256 that file had
        #: then (after a save with it, the sha256 the save wrote); the oldest are forgotten
        #: past `TOKENS` (a form that old is opened again)
        self.given: OrderedDict[str, tuple[str, str]] = OrderedDict()

    def answer(self, action: str, params: dict[str, Any]) -> Any:
        """The JSON answer to one API call."""
        if action == "info":
            return {"repo": self.root.name, "publish_modes": ["simple"], "type": "local_fs"}
        if action == "entriesByFolder":
            folder = self._inside(str(params.get("folder", "")))
            depth = int(params.get("depth", 1))
            extension = str(params.get("extension", ""))
            found = _files(folder, extension, depth)
            if folder == self.engagements:  # 全部项目 lists engagements: their index.md only
                found = [p for p in found if p.name == "index.md" and p.parent.parent == folder]
            return [self._entry(p) for p in found]
        if action == "entriesByFiles":
            return [
                self._entry(self._inside(str(f["path"])), f.get("label")) for f in params["files"]
            ]
        if action == "getEntry":
            return self._entry(self._inside(str(params["path"])))
        if action == "persistEntry":
            files = params.get("dataFiles") or [params["entry"]]
            with self.lock:
                writes, tokens = self._stage(files)
                for asset in params.get("assets") or []:
                    path, content = self._upload(asset)
                    writes[path] = content
                write_all_atomic(writes, self.root)
                for token, (rel, path) in tokens.items():
                    self.given[token] = (rel, hashlib.sha256(writes[path]).hexdigest())
            saved = [self._rel(p) for p in writes if is_inside(self.engagements, p)]
            self.on_saved(saved)
            return {"message": "entry persisted"}
        if action == "getMedia":
            folder = self._inside(str(params.get("mediaFolder", "")))
            return [self._media(p) for p in _files(folder, "", 1)]
        if action == "getMediaFile":
            return self._media(self._inside(str(params["path"])))
        if action == "persistMedia":
            with self.lock:
                path, content = self._upload(params["asset"])
                write_all_atomic({path: content}, self.root)
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
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.resolve().relative_to(self.root).as_posix()

    def _entry(self, path: Path, label: str | None = None) -> dict[str, Any]:
        rel = self._rel(path)
        try:
            raw = path.read_bytes()
        except OSError:
            return {"data": None, "file": {"path": rel, "label": label, "id": None}}
        sha = hashlib.sha256(raw).hexdigest()
        token = secrets.token_hex(12)
        with self.lock:
            self.given[token] = (rel, sha)
            while len(self.given) > TOKENS:
                self.given.popitem(last=False)
        return {"data": with_base(raw, token), "file": {"path": rel, "label": label, "id": sha}}

    def _media(self, path: Path) -> dict[str, Any]:
        raw = path.read_bytes()
        return {
            "id": hashlib.sha256(raw).hexdigest(),
            "content": base64.b64encode(raw).decode(),
            "encoding": "base64",
            "path": self._rel(path),
            "name": path.name,
        }

    def _stage(
        self, files: list[dict[str, Any]]
    ) -> tuple[dict[Path, bytes], dict[str, tuple[str, Path]]]:
        """The bytes each file of one save is to have, checked as a whole; nothing written.

        Returns them with the tokens the save came with, to be moved on once written.
        """
        writes: dict[Path, bytes] = {}
        tokens: dict[str, tuple[str, Path]] = {}
        engagements = set()
        for data_file in files:
            rel, path = self._target(data_file)
            raw = str(data_file["raw"])
            self.received[rel] = raw
            raw = with_done_today(raw, rel, self.workspace.today())
            engagements.add(path.relative_to(self.engagements).parts[0])
            token = saved_base(raw, rel)
            if path.exists():
                self._current(rel, path, token)
                writes[path] = merged(path, rel, raw)
                _keeps_seals(path, rel, writes[path])
                if token is not None:
                    tokens[token] = (rel, path)
            elif token is not None:
                raise Refused(msg("%(rel)s was deleted after the editor opened it", rel=rel))
            else:
                writes.update(self._create(path, rel, raw))
        if len(engagements) != 1:
            raise Refused(msg("one save changes the files of one engagement"))
        engagement = engagements.pop()
        self._check(engagement, {self._rel(p): data for p, data in writes.items()})
        return writes, tokens

    def _target(self, data_file: dict[str, Any]) -> tuple[str, Path]:
        """The file a save names, if the editor may write it."""
        rel = str(data_file["path"])
        new_path = data_file.get("newPath")
        if new_path and new_path != rel:
            raise Refused(msg("docgen does not rename files from the editor; use git (git mv)"))
        path = self._inside(rel)
        if path.suffix != ".md" or not is_inside(self.engagements, path):
            raise Refused(
                msg("%(rel)s: the editor writes only .md files in the engagements folder", rel=rel)
            )
        parts = path.relative_to(self.engagements).parts
        if len(parts) > 3 or (len(parts) == 3 and parts[1] not in ("meetings", "documents")):
            raise Refused(
                msg(
                    "%(rel)s is not a file the editor writes: frozen texts and notes are "
                    "changed only by docgen or git",
                    rel=rel,
                )
            )
        return self._rel(path), path

    def _current(self, rel: str, path: Path, token: str | None) -> None:
        """Refuse a save not made from the version of ``rel`` that is on disk now."""
        given = self.given.get(token or "")
        if given is None:
            raise Refused(
                msg(
                    "%(rel)s: the editor did not say which version it changed; open it again",
                    rel=rel,
                )
            )
        if given[0] != rel:
            raise Refused(
                msg(
                    "this form was opened for %(opened)s but was to be saved into %(rel)s; "
                    "nothing was saved. Open %(rel)s from its list and edit it there",
                    opened=given[0],
                    rel=rel,
                )
            )
        if given[1] != hashlib.sha256(path.read_bytes()).hexdigest():
            raise Refused(
                msg(
                    "%(rel)s was changed after you opened it (in another window, or by git); "
                    "nothing was saved. Open it again and make your change once more",
                    rel=rel,
                )
            )

    def _check(self, engagement: str, overlay: dict[str, bytes]) -> None:
        """Refuse a save that would add a validation error, before anything is written."""
        portfolio = load_portfolio(self.root, only=[])
        exists = (self.engagements / engagement).is_dir()
        before = _errors(edit_findings(portfolio, engagement)) if exists else {}
        after = _errors(edit_findings(portfolio, engagement, overlay))
        new_errors = [d for k, d in after.items() if k not in before]
        if not new_errors:
            return
        # each field once in the toast, by its first reason; the form marks each reason
        # (a field that changes a signed text in both languages is said once)
        by_field: dict[str, list[str]] = {}
        seen: set[tuple[str, str]] = set()
        for d in new_errors:
            where, why = self._worded(d, overlay)
            if (where, d.code) not in seen:
                seen.add((where, d.code))
                by_field.setdefault(where, []).append(why)
        said = "; ".join(
            f"{where}{self._colon}{whys[0]}" + (self._more(len(whys) - 1) if len(whys) > 1 else "")
            for where, whys in list(by_field.items())[:3]
        )
        fields = [(where, why) for where, whys in by_field.items() for why in whys]
        raise Refused(msg("not saved: %(errors)s", errors=said), fields)

    def _more(self, n: int) -> str:
        more = self.t.say(msg("(and %(n)s more, marked at the field)", n=n))
        return more if self.t.language == "zh" else f" {more}"

    @property
    def _colon(self) -> str:
        return "：" if self.t.language == "zh" else ": "

    def _worded(self, d: Diagnostic, overlay: dict[str, bytes]) -> tuple[str, str]:
        """A finding as the person at the form reads it: the field by its label, and why.

        The field is the key on the finding's line of the file as it would be saved
        (统一社会信用代码: …); a finding with no such key names its file.
        """
        text = overlay.get(d.path)
        lines = text.decode("utf-8", "replace").splitlines() if text is not None else []
        key = ""
        if 0 < d.line <= len(lines):
            found = re.match(r"^\s*-?\s*([A-Za-z_][\w.-]*)\s*:", lines[d.line - 1])
            key = found[1] if found else ""
        where = self.t.label(FIELDS, key) if key else d.path.rsplit("/", 1)[-1]
        said = self.t.say(d.message)
        hint = self.t.say(d.hint)
        if self.t.language == "zh":
            return where, said + (f"（{hint}）" if hint else "")
        return where, said + (f" ({hint})" if hint else "")

    def _create(self, path: Path, rel: str, raw: str) -> dict[Path, bytes]:
        """The files a new entry makes: an engagement's scaffold, or one meeting."""
        parts = path.relative_to(self.engagements).parts
        if len(parts) == 2 and parts[1] == "index.md":
            return self._new_engagement(path, rel, raw)
        if len(parts) == 3 and parts[1] == "meetings" and path.parent.parent.is_dir():
            _, text = fresh(raw, rel)
            return {path: text.encode("utf-8")}
        raise Refused(msg("%(rel)s: the editor makes new engagements and meetings only", rel=rel))

    def _new_engagement(self, path: Path, rel: str, raw: str) -> dict[Path, bytes]:
        """The engagement as ``docgen new`` scaffolds it, with what the form gave set."""
        data, _ = fresh(raw, rel)
        partner = data.get("partner")
        code = data.get("code")
        _, _, files = plan_new_engagement(
            self.root,
            path.parent.name,
            title=str(data.get("title", "")),
            partner=str(partner.get("name", "")) if isinstance(partner, dict) else "",
            mode=str(data.get("mode", "")),
            owner=str(data.get("owner", "")),
            code=str(code) if code else None,
        )
        out = {path.parent / name: text.encode("utf-8") for name, text in files.items()}
        scaffold = out[path]
        out[path] = merged(path, rel, raw, additions_only=True, base=scaffold)
        return out

    def _upload(self, asset: dict[str, Any]) -> tuple[Path, bytes]:
        """Where an upload goes and its bytes, once its place, kind and content are checked."""
        path = self._inside(str(asset["path"]))
        if not is_inside(self.media, path):
            raise Refused(
                msg(
                    "%(path)s: uploads go to %(folder)s/ only",
                    path=asset["path"],
                    folder=self._rel(self.media),
                )
            )
        try:
            content = (
                base64.b64decode(str(asset["content"]), validate=True)
                if asset.get("encoding") == "base64"
                else str(asset["content"]).encode()
            )
        except binascii.Error:
            raise Refused(
                msg("%(path)s: the upload is not valid base64", path=asset["path"])
            ) from None
        problem = upload_problem(path.name, content, self.uploads)
        if problem is not None:
            raise Refused(problem)
        return path, content


#: what a document record keeps of its frozen texts and executed copy: docgen's to write
_SEALS = ("frozen", "executed")


def _keeps_seals(path: Path, rel: str, new: bytes) -> None:
    """Refuse a save that changes a record's digests of its frozen texts or executed copy."""
    if path.parent.name != "documents":
        return
    before = parse_markdown(decode(path.read_bytes(), rel), rel).data
    after = parse_markdown(decode(new, rel), rel).data
    changed = [key for key in _SEALS if before.get(key) != after.get(key)]
    if changed:
        raise Refused(
            msg(
                "%(rel)s: %(keys)s are written by docgen approve and sign, never by the editor",
                rel=rel,
                keys=", ".join(changed),
            )
        )


def _errors(found: list[Diagnostic]) -> dict[tuple[str, str, str], Diagnostic]:
    """Errors by file, code and text (lines move as files change)."""
    return {(d.path, d.code, str(d.message)): d for d in found if d.is_error}


def _files(folder: Path, extension: str, depth: int) -> list[Path]:
    """Files under ``folder`` ending in ``extension``, ``depth`` levels down at most.

    Links are left out: the editor lists the workspace's own files only.
    """
    if depth <= 0 or not folder.is_dir():
        return []
    found: list[Path] = []
    for entry in sorted(os.scandir(folder), key=lambda e: e.name):
        if entry.name.startswith(".") or entry.is_symlink():
            continue
        if entry.is_dir(follow_symlinks=False):
            found += _files(Path(entry.path), extension, depth - 1)
        elif entry.is_file(follow_symlinks=False) and entry.name.endswith(extension):
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
            length = self.headers.get("Content-Length", "")
            if not length.isdigit():  # no length, a negative one, or not a number
                self.close_connection = True
                return self._json(HTTPStatus.LENGTH_REQUIRED, {"error": "Content-Length"})
            if int(length) > MAX_BODY:
                self.close_connection = True
                return self._json(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, {"error": "too large"})
            try:
                body = json.loads(self.rfile.read(int(length)) or b"{}")
                if not isinstance(body, dict) or not isinstance(body.get("params", {}), dict):
                    raise TypeError("the body is not an API call")
                answer = backend.answer(str(body.get("action")), body.get("params") or {})
            except Refused as exc:
                fields = [{"label": label, "message": why} for label, why in exc.fields]
                answer = {"error": backend.t.say(exc.reason), "fields": fields}
                return self._json(HTTPStatus.FORBIDDEN, answer)
            except DocgenError as exc:
                said = backend.t.say(exc.message)
                return self._json(HTTPStatus.UNPROCESSABLE_ENTITY, {"error": said})
            except (ValueError, KeyError, TypeError, AttributeError, IndexError):
                # a malformed call: said without echoing what it held
                said = backend.t.say(msg("the editor sent a request docgen cannot read"))
                return self._json(HTTPStatus.BAD_REQUEST, {"error": said})
            except OSError as exc:
                said = backend.t.say(msg("not saved: %(reason)s", reason=exc.strerror or exc))
                return self._json(HTTPStatus.INTERNAL_SERVER_ERROR, {"error": said})
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
