"""Errors a domain raises; the HTTP edge maps each kind to a status code."""

from __future__ import annotations


class DomainError(Exception):
    """A rule of the business refused a request. `field` names the input at fault, if one is;
    `code`, for a refusal another service acts on, names the reason in a word it can match."""

    def __init__(self, message: str, *, field: str | None = None, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code


class NotFound(DomainError):
    """The thing asked for does not exist (or is not the asker's to see)."""


class Conflict(DomainError):
    """The request clashes with the current state, e.g. publishing a retired service."""


class Invalid(DomainError):
    """The request breaks a rule about its own values, e.g. a milestone beyond the contract."""


class Forbidden(DomainError):
    """The asker may not do this to this thing."""


class TooLarge(DomainError):
    """The request would store or send more than the platform can carry."""


class Unavailable(DomainError):
    """An outside party the request needs (a card processor, say) did not answer: try again."""
