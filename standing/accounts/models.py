import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Operator admin")
    SUPPORT = "support", _("Support agent")
    VENDOR = "vendor", _("Vendor user")
    INTEGRATION = "integration", _("Integration")
    CUSTOMER = "customer", _("Customer")


STAFF_ROLES = {Role.ADMIN, Role.SUPPORT}


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.SUPPORT)
    vendor = models.ForeignKey(
        "vendors.Vendor", null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    # Empty: the installation's default language (settings.LANGUAGE_CODE).
    language = models.CharField(_("language"), max_length=8, blank=True, default="")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role="vendor") | models.Q(vendor__isnull=False),
                name="vendor_user_has_vendor",
            )
        ]

    def display_name(self):
        return self.get_full_name() or self.username


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token for an integration or a person; only its SHA-256 is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, blank=True)
    # The role the token acts with: never more than its user's.
    scope = models.CharField(max_length=16, choices=Role.choices)
    prefix = models.CharField(max_length=12)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.prefix}… ({self.user})"

    @classmethod
    def issue(cls, user, scope=None, name=""):
        raw = "stg_" + secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user,
            scope=scope or user.role,
            name=name,
            prefix=raw[:12],
            token_hash=hash_token(raw),
        )
        return token, raw

    def revoke(self):
        self.revoked_at = timezone.now()
        self.save(update_fields=["revoked_at"])


class LoginThrottle(models.Model):
    """Failed logins of one account name or one client address (``key``: "user:…" or
    "ip:…"), whether or not such an account exists; see ``accounts.throttle``."""

    key = models.CharField(max_length=200, unique=True)
    failures = models.PositiveIntegerField(default=0)
    last_failure_at = models.DateTimeField()
    # No attempt is checked before this moment (the growing delay, then the lock).
    blocked_until = models.DateTimeField()

    def __str__(self):
        return f"{self.key}: {self.failures}"
