"""What every part uses: messages, diagnostics, paths, writes, fingerprints, parsing."""
