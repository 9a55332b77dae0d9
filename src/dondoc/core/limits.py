"""The longest text a person types into one field, one rule for forms, API schemas, actions and the database.

A progress text of 9 MB made the assignment page 10.5 MB: prose fields stop at LONG_TEXT characters, short ones
(names, reasons on a line) at their CharField's max_length. `length_checks()` gives the database its own copy of
the rule (a CHECK constraint: SQLite does not enforce a column's declared length)."""

from __future__ import annotations

from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual

from dondoc.core.errors import ActionError

LONG_TEXT = 20_000


def check_text(value: str | None, label: str, limit: int = LONG_TEXT) -> str:
    """The stripped text, or ActionError naming the field when it is longer than `limit` characters."""
    text = (value or "").strip()
    if len(text) > limit:
        raise ActionError(f"{label} dài quá {limit:,} ký tự (nhận được {len(text):,}).".replace(",", "."))
    return text


def length_checks(model: str, *fields: str, limit: int = LONG_TEXT) -> list[models.CheckConstraint]:
    return [models.CheckConstraint(condition=LessThanOrEqual(Length(field), limit), name=f"{model}_{field}_max_length")
            for field in fields]


def shorten_existing(app_label: str, model: str, *fields: str, limit: int = LONG_TEXT):
    """A migration step before `length_checks` land: texts stored before the limit existed are cut to it (the
    constraint could not be added over them); the cut is marked so a reader knows."""
    mark = " […]"

    def forward(apps, schema_editor):
        from django.db.models.functions import Length, Substr

        Model = apps.get_model(app_label, model)
        for field in fields:
            too_long = Model.objects.annotate(_n=Length(field)).filter(_n__gt=limit)
            too_long.update(**{field: models.functions.Concat(Substr(field, 1, limit - len(mark)),
                                                              models.Value(mark))})

    from django.db import migrations

    return migrations.RunPython(forward, migrations.RunPython.noop)
