"""JSON Schema of every file kind, derived from the pydantic models (``docgen schema``)."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

from docgen.core.atomic import write_atomic
from docgen.core.diagnostics import DocgenError
from docgen.core.i18n import msg
from docgen.core.paths import is_inside, output_folder
from docgen.domain.model import ENGAGEMENT_FILES
from docgen.domain.process import Process
from docgen.workspace.config import Workspace, WorkspaceConfig

#: Where ``docgen schema`` writes by default, relative to the workspace root.
DEFAULT_FOLDER = "schema"

#: File kind → (model, what the file is): every engagement file, the process, the config.
KINDS: dict[str, tuple[type[BaseModel], str]] = {
    **{k.id: (k.model, f"{k.where} front matter") for k in ENGAGEMENT_FILES},
    "process": (Process, "templates/process.yml"),
    "config": (WorkspaceConfig, "the docgen section of mkdocs.yml"),
}


def json_schema(kind: str) -> dict[str, object]:
    """The JSON Schema (draft 2020-12) of one file kind."""
    model, description = KINDS[kind]
    schema = model.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"docgen:{kind}.schema.json"
    schema["description"] = f"docgen format 1: {description}"
    return schema


def write_schemas(workspace: Workspace, out_dir: Path | None = None) -> list[Path]:
    """Write ``<kind>.schema.json`` for every file kind into ``out_dir``.

    The default is ``schema/`` at the workspace's root, wherever the command runs.  The
    engagements folder is refused: it holds engagement folders only.
    """
    out_dir = out_dir if out_dir is not None else workspace.root / DEFAULT_FOLDER
    if is_inside(workspace.engagements_dir, out_dir.absolute()):
        raise DocgenError(
            msg(
                (
                    "%(out_dir)s is inside %(engagements)s/, which holds only "
                    "engagement folders; write the schemas elsewhere (default: "
                    "schema/ at the workspace root)"
                ),
                out_dir=out_dir,
                engagements=workspace.config.engagements,
            )
        )
    output_folder(out_dir, workspace.root)
    written = []
    for kind in KINDS:
        path = out_dir / f"{kind}.schema.json"
        text = json.dumps(json_schema(kind), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
        write_atomic(path, text)
        written.append(path)
    return written
