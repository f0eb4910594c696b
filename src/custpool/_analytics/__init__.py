"""The analytics room."""
