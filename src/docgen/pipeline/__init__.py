"""The pipelines that run the stages together: render, publish, redline, the MkDocs plugin."""
