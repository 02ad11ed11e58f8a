"""The real data the demo and the tests are seeded from (source and licence in data/README.md)."""

from __future__ import annotations

import os
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
# The real Hertfordshire register; PLATFORM_SCHOOLS_CSV seeds from another LA's extract instead.
SCHOOLS_CSV = Path(os.environ.get("PLATFORM_SCHOOLS_CSV", DATA / "schools-hertfordshire.csv"))
