"""The edits written back to the files: workflow, records, signing, scaffolds."""
