from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Vendor(models.Model):
    """A seller on the operator's platform; a single business runs with exactly one."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    legal_name = models.CharField(_("legal name"), max_length=200, blank=True)
    email = models.EmailField(_("email"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("vendor")
        verbose_name_plural = _("vendors")

    def __str__(self):
        return self.name

    @staticmethod
    def vendor_scope(vendor_id):
        return Q(pk=vendor_id)
