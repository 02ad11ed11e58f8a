"""The chaos harness: the platform as processes, killed and restarted under load."""
