"""Storage: SQLAlchemy models, the one session factory, Alembic migrations.

SQLite by default (WAL, foreign keys on); PostgreSQL by URL. Domain packages put
their tables in ``careguide.store.<domain>`` modules on the same ``Base``.
"""

from careguide.store.base import Base, utcnow
from careguide.store.db import Database, get_database

__all__ = ["Base", "Database", "get_database", "utcnow"]
