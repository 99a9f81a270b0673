"""The one error a booking operation raises: a catalog key a person can read, with its parameters."""

from __future__ import annotations

from careguide.i18n import t


class BookingError(Exception):
    """A refused booking operation. Nothing it started is kept: the caller's transaction rolls back.

    ``code`` names the catalog message ``booking.error_<code>``; ``params`` fill its placeholders.
    """

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(f"{code} {params}" if params else code)
        self.code = code
        self.params = params

    def message(self, lang: str | None) -> str:
        return t(f"booking.error_{self.code}", lang, **self.params)
