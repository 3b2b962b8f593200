"""The row ``register`` locks to take registrations one after the other, made once here
instead of looked up (and created) by every registration."""

from django.db import migrations


def create(apps, schema_editor):
    apps.get_model("core", "Sequence").objects.get_or_create(key="registrations")


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_state_transition"),
        ("screening", "0005_denyentry_fewer_indexes"),
    ]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
