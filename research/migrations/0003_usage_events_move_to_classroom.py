"""The usage-event log is classroom's now (classroom 0004 took it over, table and all):
this removes it from research's state and leaves the table alone."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('classroom', '0004_usage_events_move_here'),
        ('research', '0002_studies_consent_interventions'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='UsageEvent')],
            database_operations=[],
        ),
    ]
