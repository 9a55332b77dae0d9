"""SQLite rebuilds a table to alter a column (0003), which drops its triggers: put the append-only one back.
Any later migration that alters audit_event on SQLite must do the same."""

from django.db import migrations

from . import _triggers


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_alter_event_at")]
    operations = [migrations.RunPython(_triggers.create, _triggers.drop)]
