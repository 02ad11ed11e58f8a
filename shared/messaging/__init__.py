"""Getting events out reliably (outbox, relay) and in exactly once (inbox, consumers)."""
