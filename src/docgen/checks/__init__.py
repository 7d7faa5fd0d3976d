"""The checks run on a loaded workspace: rules, validation, status."""
