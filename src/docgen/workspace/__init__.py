"""The workspace as loaded: its configuration, its engagements and what loading found."""
