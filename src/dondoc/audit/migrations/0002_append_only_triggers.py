"""The database itself refuses to rewrite an audit event.

UPDATE is refused on both databases. Row DELETE is refused on PostgreSQL; on SQLite it is left to the ORM guard,
because Django's test flush empties tables with DELETE there (PostgreSQL flushes with TRUNCATE, which row
triggers do not see)."""

from django.db import migrations

from . import _triggers


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(_triggers.create, _triggers.drop)]
