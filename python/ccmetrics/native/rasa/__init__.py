"""rasa native format (issue 11)."""
