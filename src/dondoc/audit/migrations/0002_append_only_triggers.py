"""The database itself refuses to rewrite an audit event (the triggers and how tests flush past them: _triggers.py)."""

from django.db import migrations

from . import _triggers


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(_triggers.create, _triggers.drop)]
