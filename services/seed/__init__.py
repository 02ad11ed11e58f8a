"""Demo data for the local run: real schools, a plausible catalogue, an LA contract."""
