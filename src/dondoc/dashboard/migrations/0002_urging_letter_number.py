"""An urging letter's number becomes its issuer's running number in the year (Nghị định 30/2020, Điều 15), unique
per issuer and year. Letters recorded before get their issuer and year, and their number when one was typed and no
earlier letter of that issuer and year holds it; the others keep none."""

import re

import django.db.models.deletion
from django.db import migrations, models

_NUMBER = re.compile(r"^\s*(?:số\s*:?\s*)?0*(\d+)\s*(?:/|$)", re.IGNORECASE)


def backfill(apps, schema_editor):
    UrgingLetter = apps.get_model("dashboard", "UrgingLetter")
    taken = set()
    for letter in UrgingLetter.objects.select_related("plan", "created_by").order_by("created_at", "pk"):
        letter.issuer_id = letter.plan.coordinating_agency_id or letter.created_by.agency_id
        letter.year = letter.as_of.year
        found = _NUMBER.match(letter.number or "")
        key = (letter.issuer_id, letter.year, int(found[1]) if found else None)
        if found and int(found[1]) > 0 and letter.issuer_id and key not in taken:
            letter.serial = key[2]
            taken.add(key)
        letter.save(update_fields=["issuer", "year", "serial"])


class Migration(migrations.Migration):

    dependencies = [
        ('dashboard', '0001_initial'),
        ('orgs', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='urgingletter',
            name='issuer',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='orgs.agency', verbose_name='cơ quan ban hành'),
        ),
        migrations.AddField(
            model_name='urgingletter',
            name='serial',
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name='số'),
        ),
        migrations.AddField(
            model_name='urgingletter',
            name='year',
            field=models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='năm'),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='urgingletter',
            constraint=models.UniqueConstraint(fields=('issuer', 'year', 'serial'), name='urging_number_once_per_issuer_year'),
        ),
    ]
