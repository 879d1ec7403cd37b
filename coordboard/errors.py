"""Typed errors that carry an i18n message key, so every front end can say them."""

from typing import Any

from coordboard.i18n import t


class CoordboardError(Exception):
    """Base of every error a user may see. ``str()`` is the translated sentence."""

    key = "error.generic"

    def __init__(self, key: str | None = None, **params: Any) -> None:
        self.key = key or self.key
        self.params = params
        super().__init__(self.key)

    def __str__(self) -> str:
        return t(self.key, **self.params)


class ConfigError(CoordboardError):
    key = "error.config"


class DatabaseError(CoordboardError):
    key = "error.database"


class DomainError(CoordboardError):
    """A rule of the supervision workflow refused the request."""

    key = "error.domain"


class NotFoundError(DomainError):
    key = "error.not_found"


class ValidationError(DomainError):
    key = "error.validation"
