"""The health room."""
