"""The tiers room."""
