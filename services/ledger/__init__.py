"""Ledger: the one double-entry book for both strands, and the finance reports on it."""
