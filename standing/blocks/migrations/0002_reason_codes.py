from django.db import migrations

# The reason list of SPEC §10; labels in German, the UI's default language.
REASONS = [
    ("missing_data", "Fehlende Daten"),
    ("missing_documents", "Fehlende Dokumente"),
    ("payment_deferral", "Stundung"),
    ("payment_default", "Zahlungsverzug"),
    ("misconduct", "Fehlverhalten"),
    ("other", "Sonstiges"),
]


def add_reasons(apps, schema_editor):
    BlockReason = apps.get_model("blocks", "BlockReason")
    for code, label in REASONS:
        BlockReason.objects.get_or_create(code=code, defaults={"label": label})


class Migration(migrations.Migration):
    dependencies = [("blocks", "0001_initial")]
    operations = [migrations.RunPython(add_reasons, migrations.RunPython.noop)]
