"""Catalogue: what the company sells, to whom, at what price."""
