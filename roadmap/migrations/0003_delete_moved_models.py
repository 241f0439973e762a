# Departments and profiles now live in `org` (state only: the tables were adopted, not dropped).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('roadmap', '0002_move_departments_out'),
        ('accountability', '0005_move_customer_metrics_out'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(
                    name='Department',
                ),
                migrations.DeleteModel(
                    name='Profile',
                ),
            ],
        ),
    ]
