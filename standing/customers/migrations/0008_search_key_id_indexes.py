from django.db import migrations, models

KEYS = ("search_name", "first_key", "email_key")


def create(apps, schema_editor):
    """Each search key indexed with the id, so a search's ids come from the index alone.

    PostgreSQL: the pattern operator class, which answers ``LIKE 'prefix%'`` under any
    collation, with the id included. SQLite: the key and the id. The trigram index of 0002
    goes: the name search matches by prefix now (``customers.search``), and every insert and
    rename paid for it."""
    postgres = schema_editor.connection.vendor == "postgresql"
    for key in KEYS:
        columns = f"{key} varchar_pattern_ops) INCLUDE (id" if postgres else f"{key}, id"
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS customer_{key}_id ON customers_customer ({columns})"
        )
    if postgres:
        schema_editor.execute("DROP INDEX IF EXISTS customer_search_name_trgm")


def drop(apps, schema_editor):
    for key in KEYS:
        schema_editor.execute(f"DROP INDEX IF EXISTS customer_{key}_id")
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS customer_search_name_trgm "
            "ON customers_customer USING gin (search_name gin_trgm_ops)"
        )


class Migration(migrations.Migration):
    dependencies = [("customers", "0007_outbox_attempt_and_message_id")]

    operations = [
        *(
            migrations.AlterField(
                model_name="customer",
                name=key,
                field=models.CharField(editable=False, max_length=length),
            )
            for key, length in zip(KEYS, (400, 100, 254), strict=True)
        ),
        migrations.RunPython(create, drop),
    ]
