"""Alembic, driven from code so ``careguide db upgrade`` needs no alembic.ini.

Each domain keeps its migrations on its own Alembic branch (``branch_labels``),
depending on the core branch, so domains can add tables without fighting over one
linear history; ``upgrade`` applies every head.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from alembic import command
from alembic.config import Config

if TYPE_CHECKING:
    from careguide.store.db import Database

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def alembic_config(database: Database) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", database.url.replace("%", "%%"))
    config.attributes["engine"] = database.engine
    return config


def upgrade(database: Database, revision: str = "heads") -> None:
    command.upgrade(alembic_config(database), revision)


def downgrade(database: Database, revision: str) -> None:
    command.downgrade(alembic_config(database), revision)


def new_revision(database: Database, message: str, branch: str, rev_id: str) -> None:
    """Autogenerate a migration on ``branch`` (created on first use, depending on core)."""
    from alembic.script import ScriptDirectory

    config = alembic_config(database)
    script = ScriptDirectory.from_config(config)
    heads = {rev.branch_labels and next(iter(rev.branch_labels)): rev.revision for rev in script.get_revisions("heads")}
    known_labels = {label for rev in script.walk_revisions() for label in rev.branch_labels}
    command.upgrade(config, "heads")
    if branch in known_labels:
        command.revision(config, message=message, autogenerate=True, rev_id=rev_id, head=f"{branch}@head")
    else:
        command.revision(
            config,
            message=message,
            autogenerate=True,
            rev_id=rev_id,
            branch_label=branch,
            head="base",
            depends_on=heads.get("core", "core_0001"),
        )
