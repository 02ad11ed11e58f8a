"""Schools of the real Hertfordshire register as the orders service keeps them, for tests that
put one on the register by hand (the register's pupils vary between tests, so it is left out)."""

from __future__ import annotations

from typing import Any

ABBOTS_LANGLEY_AS_REGISTERED: dict[str, Any] = {
    "urn": 117083,
    "name": "Abbots Langley School",
    "la_code": "919",
    "la_name": "Hertfordshire",
    "establishment_type": "Community school",
    "type_group": "Maintained school",
    "phase": "Primary",
    "postcode": "WD5 0BQ",
    "town": "Abbots Langley",
}
