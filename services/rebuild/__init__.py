"""Rebuilding a service's read state from the streams into a fresh database, and comparing it
with the live one: the proof that the book is nothing but the events it was given."""
