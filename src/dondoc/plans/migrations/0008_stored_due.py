# The due date and its basis, read once and stored on the task (plans/due.py).

from django.db import migrations, models


def fill_dues(apps, schema_editor):
    from dondoc.plans.due import due_for  # a pure function: the rule as it stands when the migration runs

    Task = apps.get_model("plans", "Task")
    changed = []
    for task in Task.objects.select_related("plan").only(
            "deadline_date", "deadline_text", "recurrence", "plan__agency_report_date").iterator(chunk_size=2000):
        due = due_for(task.deadline_date, task.deadline_text, task.recurrence or None, task.plan.agency_report_date)
        task.due_date, task.due_basis, task.due_label = due.date, due.basis, due.label[:255]
        changed.append(task)
        if len(changed) >= 2000:
            Task.objects.bulk_update(changed, ["due_date", "due_basis", "due_label"])
            changed = []
    Task.objects.bulk_update(changed, ["due_date", "due_basis", "due_label"])


class Migration(migrations.Migration):

    dependencies = [
        ('plans', '0007_review_steps'),
    ]

    operations = [
        migrations.AddField(
            model_name='task',
            name='due_basis',
            field=models.CharField(blank=True, editable=False, max_length=12, verbose_name='căn cứ hạn'),
        ),
        migrations.AddField(
            model_name='task',
            name='due_date',
            field=models.DateField(blank=True, editable=False, null=True, verbose_name='hạn tính trạng thái'),
        ),
        migrations.AddField(
            model_name='task',
            name='due_label',
            field=models.CharField(blank=True, editable=False, max_length=255, verbose_name='hạn (hiển thị)'),
        ),
        migrations.RunPython(fill_dues, migrations.RunPython.noop),
    ]
