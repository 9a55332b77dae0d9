"""Targets of the plans published before this app existed, from their tasks (the same rule as sync_targets)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from dondoc.targets.rules import clean_parsed_target

    Task = apps.get_model("plans", "Task")
    Target = apps.get_model("targets", "Target")
    new = []
    for task in Task.objects.exclude(plan__status="draft").only("id", "targets").iterator():
        for index, item in enumerate(task.targets or []):
            cleaned = clean_parsed_target(item)
            if cleaned is not None and not Target.objects.filter(task_id=task.pk, source="parser", source_index=index).exists():
                new.append(Target(task_id=task.pk, text=cleaned["text"][:2000], op=cleaned["op"], value=cleaned["value"],
                                  unit=cleaned["unit"], source="parser", source_index=index, order=index))
    Target.objects.bulk_create(new, batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("targets", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
