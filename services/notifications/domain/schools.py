"""How a message names a school to a reader outside it (a trust's buyer): by the name the
register gave it, with its URN, as the portal does; by its URN alone while the register has not
announced its name."""

from __future__ import annotations


def school_named(urn: int, name: str | None) -> str:
    """As "Ashwell School (URN 117084)"; as "URN 117084" while its name is not known."""
    return f"{name} (URN {urn})" if name else f"URN {urn}"
