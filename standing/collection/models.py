"""The agency's feedback imports (SPEC §7 "Exchange file"): each kept as a record with its
file, who imported it and when, the rows applied and the outcome with every problem."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Outcome(models.TextChoices):
    APPLIED = "applied", _("applied")
    REFUSED = "refused", _("refused, nothing changed")


def import_path(instance, filename):
    return f"collection/imports/{filename}"


class FeedbackImport(models.Model):
    """One feedback file of the collection agency, applied atomically or refused as a whole."""

    created_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(_("imported by"), max_length=150)
    file_name = models.CharField(_("file name"), max_length=255)
    file = models.FileField(_("file"), upload_to=import_path, max_length=300)
    rows = models.PositiveIntegerField(_("rows read"), default=0)
    applied = models.PositiveIntegerField(_("rows applied"), default=0)
    changed = models.PositiveIntegerField(_("claims changed"), default=0)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    # {"encoding": …, "delimiter": …, "problems": [{line, column, message}],
    #  "changes": [{line, order, claim, from, to, payment}], "error": "…"}
    report = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("feedback import")
        verbose_name_plural = _("feedback imports")

    def __str__(self):
        return f"{self.file_name} ({self.outcome})"

    def get_absolute_url(self):
        return reverse("collection:import", args=[self.pk])
