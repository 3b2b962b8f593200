from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Vendor(models.Model):
    """A seller on the operator's platform; a single business runs with exactly one."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    legal_name = models.CharField(_("legal name"), max_length=200, blank=True)
    email = models.EmailField(_("email"), blank=True)
    # The vendor as the creditor of its claims (letters, GiroCode, § 13a data): with a
    # complete address and an IBAN, dunning letters are written in its name.
    street = models.CharField(_("street"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True, default="DE")
    iban = models.CharField(_("IBAN"), max_length=34, blank=True)
    bic = models.CharField(_("BIC"), max_length=11, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("vendor")
        verbose_name_plural = _("vendors")

    def __str__(self):
        return self.name

    @property
    def has_address(self) -> bool:
        return bool(self.street and self.postal_code and self.city)

    @property
    def is_creditor(self) -> bool:
        """Complete enough to write letters in its own name: an address and an IBAN."""
        return self.has_address and bool(self.iban)

    @staticmethod
    def vendor_scope(vendor_id):
        return Q(pk=vendor_id)
