"""The activity log becomes append-only in the database: triggers refuse UPDATE and DELETE
(PostgreSQL: one PL/pgSQL trigger; SQLite: two triggers). See ``standing.activity.audit``."""

from django.db import migrations


def install(apps, schema_editor):
    from standing.activity import audit

    audit.install(schema_editor)


def remove(apps, schema_editor):
    from standing.activity import audit

    audit.remove(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("activity", "0002_customer_protected")]

    operations = [migrations.RunPython(install, remove)]
