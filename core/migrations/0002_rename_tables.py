# The tables of the models that moved into `core` take this app's names.

from django.db import migrations

from core.content_types import content_types_move


# Content types (and so permissions and admin history) follow the models to their new app.
MOVED = [
    ("accountability", "idempotencykey"),
]


content_types_follow, content_types_return = content_types_move(to_app="core", moved=MOVED)


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0001_initial'),
        ('accountability', '0005_move_customer_metrics_out'),
        ('roadmap', '0003_delete_moved_models'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.RunPython(content_types_follow, content_types_return),
        migrations.AlterModelTable(
            name='idempotencykey',
            table=None,
        ),
    ]
