"""The io room."""
