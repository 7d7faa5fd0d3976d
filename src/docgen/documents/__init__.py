"""The documents made from an engagement: templates, clauses, context, frozen texts."""
