"""Package data: the default process files, the workspace and engagement scaffolds."""
