# The tables of the models that moved into `core` take this app's names.

from django.db import migrations


# Content types (and so permissions and admin history) follow the models to their new app.
MOVED = [
    ("accountability", "idempotencykey"),
]


def content_types_follow(apps, schema_editor):
    content_type = apps.get_model("contenttypes", "ContentType")
    for old_app, model in MOVED:
        if content_type.objects.filter(app_label=old_app, model=model).exists():
            # A post_migrate between two partial migrates may have made an empty new one: the old one,
            # with its permissions and admin history, wins.
            content_type.objects.filter(app_label="core", model=model).delete()
            content_type.objects.filter(app_label=old_app, model=model).update(app_label="core")


def content_types_return(apps, schema_editor):
    content_type = apps.get_model("contenttypes", "ContentType")
    for old_app, model in MOVED:
        if content_type.objects.filter(app_label="core", model=model).exists():
            content_type.objects.filter(app_label=old_app, model=model).delete()
            content_type.objects.filter(app_label="core", model=model).update(app_label=old_app)



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
