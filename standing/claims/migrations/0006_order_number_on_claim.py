"""The order's number copied onto the claim (the board's sort by it from an index)."""

from django.db import migrations, models


def copy_numbers(apps, schema_editor):
    Claim = apps.get_model("claims", "Claim")
    Order = apps.get_model("orders", "Order")
    # One set-based UPDATE (a million claims): the number of the claim's order.
    number = Order.objects.filter(pk=models.OuterRef("order_id")).values("number")[:1]
    Claim.objects.update(order_number=models.Subquery(number))


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0005_open_amount_cache"),
        ("orders", "0007_order_vendor_newest_first"),
    ]

    operations = [
        migrations.AddField(
            model_name="claim",
            name="order_number",
            field=models.CharField(
                default="", editable=False, max_length=64, verbose_name="order number"
            ),
            preserve_default=False,
        ),
        migrations.RunPython(copy_numbers, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="claim",
            index=models.Index(fields=["order_number", "id"], name="claim_order_number_id"),
        ),
        migrations.AddIndex(
            model_name="claim",
            index=models.Index(
                fields=["vendor", "order_number", "id"], name="claim_vendor_order_number"
            ),
        ),
    ]
