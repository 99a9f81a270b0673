"""Foundation commands: run, db, user, audit, demo."""

from __future__ import annotations

import typer


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    @app.command()
    def version() -> None:
        """Print careguide's version."""
        from careguide import __version__

        typer.echo(__version__)
