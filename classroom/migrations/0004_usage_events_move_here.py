"""The usage-event log moves here from research, and the goal options of a lesson are
declared from the goals side. Both keep their tables: these change Django's state only."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('classroom', '0003_lesson_seq'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='UsageEvent',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('verb', models.CharField(max_length=40)),
                        ('object_type', models.CharField(max_length=40)),
                        ('object_id', models.BigIntegerField(null=True)),
                        ('time', models.DateTimeField(auto_now_add=True, db_index=True)),
                        ('context', models.JSONField(blank=True, default=dict)),
                        ('actor', models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('group', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='classroom.group')),
                        ('lesson', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='classroom.lesson')),
                        ('pupil', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='classroom.pupil')),
                    ],
                    options={
                        'verbose_name': 'usage event',
                        'verbose_name_plural': 'usage events',
                        'db_table': 'research_usageevent',
                        'ordering': ['time', 'id'],
                        'indexes': [models.Index(fields=['group', 'time'], name='research_us_group_i_2218b9_idx')],
                    },
                ),
                migrations.RemoveField(model_name='lesson', name='goal_options'),
            ],
            database_operations=[],
        ),
    ]
