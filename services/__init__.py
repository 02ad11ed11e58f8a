"""The platform's services; each owns its own database and talks to the others by events."""
