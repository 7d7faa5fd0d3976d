"""Word output: the reference document, markdown → .docx, deterministic packaging."""
