from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class BaseRateEntry(models.Model):
    """A § 247 base rate entered after the release (``standing law base-rate add``).

    The rates known at release ship as ``data/base_rates.csv``; the table Standing computes
    with is that file plus these rows (``rates.base_rate_table``). Each row says who entered
    it and when; the entry is also written to the activity log.
    """

    valid_from = models.DateField(_("valid from"), unique=True)
    percent = models.DecimalField(_("base rate (percent)"), max_digits=5, decimal_places=2)
    source = models.CharField(_("source"), max_length=300, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    added_by_label = models.CharField(max_length=150)
    added_at = models.DateTimeField()

    class Meta:
        ordering = ["valid_from"]
        verbose_name = _("base rate")
        verbose_name_plural = _("base rates")

    def __str__(self):
        return f"{self.valid_from.isoformat()}: {self.percent} %"
