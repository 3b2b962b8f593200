from django.db import migrations


def create(apps, schema_editor):
    # Staff search by part of a name on a million deny-list entries: a trigram GIN index on
    # PostgreSQL. (Matching never needs it: it looks up the birth date and exact keys.)
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS denyentry_name_key_trgm "
        "ON screening_denyentry USING gin (name_key gin_trgm_ops)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS denyentry_name_key_trgm")


class Migration(migrations.Migration):
    dependencies = [("screening", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
