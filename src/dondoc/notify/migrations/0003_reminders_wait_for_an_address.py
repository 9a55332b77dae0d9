"""Reminders made while a person had no e-mail address were marked in-app only (emailable=False) and never mailed,
even after an address was set. From now on only the person's own choice (e-mail turned off) makes a reminder
in-app only; the reminders still waiting for an e-mail of everyone who has not turned it off wait again, and go in
their first digest once they have an address (only those still live then are shown)."""

from django.db import migrations


def forwards(apps, schema_editor):
    Reminder = apps.get_model("notify", "Reminder")
    Preference = apps.get_model("notify", "NotificationPreference")
    turned_off = Preference.objects.filter(email_digest=False).values("user_id")
    Reminder.objects.filter(outbox__isnull=True, emailable=False).exclude(user_id__in=turned_off).update(emailable=True)


class Migration(migrations.Migration):
    dependencies = [("notify", "0002_admin_names")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
