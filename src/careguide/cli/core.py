"""Foundation commands: run, db, user, audit, demo."""

from __future__ import annotations

import typer


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    @app.command()
    def version() -> None:
        """Print careguide's version."""
        from careguide import __version__

        typer.echo(__version__)

    _register_db(app)


def _register_db(app: typer.Typer) -> None:
    db_app = typer.Typer(help="Database migrations.")
    app.add_typer(db_app, name="db")

    @db_app.command("upgrade")
    def upgrade() -> None:
        """Apply every migration to the configured database."""
        from careguide.store import get_database

        database = get_database()
        database.upgrade()
        typer.echo(f"database up to date: {database.engine.url.render_as_string(hide_password=True)}")

    @db_app.command("revision")
    def revision(
        message: str = typer.Option(..., "-m", help="What the migration does."),
        branch: str = typer.Option(..., help="The domain's branch label, e.g. records."),
        rev_id: str = typer.Option(..., help="Revision id, e.g. records_0001."),
    ) -> None:
        """(Developers) autogenerate a migration on a domain branch against a scratch SQLite file."""
        import tempfile

        from careguide.store.db import Database
        from careguide.store.migrate import new_revision

        with tempfile.TemporaryDirectory() as tmp:
            new_revision(Database(f"sqlite:///{tmp}/scratch.db"), message, branch, rev_id)
