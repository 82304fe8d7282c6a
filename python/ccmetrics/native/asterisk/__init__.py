"""asterisk native format (issue 11)."""
