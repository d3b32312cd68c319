"""The goal options of a lesson, declared from this side (they were `Lesson.goal_options`
in classroom): the same table, so only Django's state changes."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('classroom', '0004_usage_events_move_here'),
        ('goals', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(
                    model_name='goal',
                    name='lessons',
                    field=models.ManyToManyField(blank=True, db_table='classroom_lesson_goal_options', related_name='goal_options', to='classroom.lesson', verbose_name='lessons that offer it'),
                ),
            ],
            database_operations=[],
        ),
    ]
