"""The one error a report pipeline raises: a catalog key the caller renders in the person's language."""

from __future__ import annotations

from careguide.i18n import t


class ReportError(Exception):
    """Bad input (corrupt file, no text, not a report ...). ``key`` is a ``reports.*`` catalog key."""

    def __init__(self, key: str, reason: str = "", **params: object) -> None:
        super().__init__(f"reports.{key}: {reason}" if reason else f"reports.{key}")
        self.key = key
        self.reason = reason
        self.params = params

    def message(self, lang: str | None = None) -> str:
        return t(f"reports.{self.key}", lang, **self.params)
