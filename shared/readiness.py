"""A /readyz answer, the APIs' and the portal's alike: ready only if every check said yes, and
each check that did not answer within the bound named, so that silence is told from refusal."""

from __future__ import annotations

import logging
from typing import Any

log = logging.getLogger(__name__)


def readiness(answers: dict[str, bool | None], *, who: str, bound: float) -> dict[str, Any]:
    """A /readyz body: ready if every check answered yes; a check that did not answer within
    `bound` (None) is named in `unanswered`, and logged."""
    checks = {name: answer is True for name, answer in answers.items()}
    body: dict[str, Any] = {"status": "ready" if all(checks.values()) else "not ready", **checks}
    if unanswered := [name for name, answer in answers.items() if answer is None]:
        body["unanswered"] = unanswered
        log.warning(
            "%s /readyz: %s did not answer within %ss", who, " and ".join(unanswered), bound
        )
    return body
