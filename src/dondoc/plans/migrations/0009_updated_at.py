# When a task or an assignment last changed, with what is under it; filled from the records by tracking 0004.

import dondoc.core.clock
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('plans', '0008_stored_due'),
    ]

    operations = [
        migrations.AddField(
            model_name='assignment',
            name='updated_at',
            field=models.DateTimeField(db_index=True, default=dondoc.core.clock.now, verbose_name='cập nhật lúc'),
        ),
        migrations.AddField(
            model_name='task',
            name='updated_at',
            field=models.DateTimeField(db_index=True, default=dondoc.core.clock.now, verbose_name='cập nhật lúc'),
        ),
    ]
