"""Code every service shares: event contracts and the small common plumbing."""
