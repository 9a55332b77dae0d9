"""The audit trail cannot be emptied quietly: a DELETE trigger on SQLite, a TRUNCATE trigger on PostgreSQL
(see _triggers.py; recreating the others is harmless)."""

from django.db import migrations

from . import _triggers


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_restore_sqlite_trigger")]
    operations = [migrations.RunPython(_triggers.create, _triggers.drop)]
