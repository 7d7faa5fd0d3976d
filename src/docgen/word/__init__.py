"""Word output: the reference document, markdown → .docx, deterministic packaging."""

from datetime import UTC, datetime

#: The date written into every zip entry and core property when no input says otherwise.
EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
