"""Order numbers and payment-event ids are unique per vendor, not across all vendors: a vendor
must not learn from a 409 which numbers another vendor uses, nor take its event ids."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill_vendor(apps, schema_editor):
    PaymentEvent = apps.get_model("orders", "PaymentEvent")
    Order = apps.get_model("orders", "Order")
    PaymentEvent.objects.update(
        vendor_id=Subquery(Order.objects.filter(pk=OuterRef("order_id")).values("vendor_id")[:1])
    )


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0001_initial"),
        ("vendors", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="paymentevent",
            name="vendor",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="vendors.vendor",
            ),
        ),
        migrations.RunPython(fill_vendor, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="paymentevent",
            name="vendor",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="vendors.vendor",
            ),
        ),
        migrations.AlterField(
            model_name="order",
            name="number",
            field=models.CharField(max_length=64, verbose_name="order number"),
        ),
        migrations.AlterField(
            model_name="paymentevent",
            name="event_id",
            field=models.CharField(max_length=100, verbose_name="event id"),
        ),
        migrations.AddIndex(
            model_name="order",
            index=models.Index(fields=["number"], name="order_number"),
        ),
        migrations.AddConstraint(
            model_name="order",
            constraint=models.UniqueConstraint(
                fields=("vendor", "number"), name="order_number_per_vendor"
            ),
        ),
        migrations.AddConstraint(
            model_name="paymentevent",
            constraint=models.UniqueConstraint(
                fields=("vendor", "event_id"), name="event_id_per_vendor"
            ),
        ),
    ]
