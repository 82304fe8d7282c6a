"""connect native format (issue 11)."""
