"""The login form with throttling (``accounts.throttle``), and the shorter staff session."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from standing.core.http import client_address

from . import throttle
from .models import Role


class ThrottledLoginForm(AuthenticationForm):
    throttled = ""

    def clean(self):
        username = self.data.get("username", "")
        address = client_address(self.request)
        if seconds := throttle.wait_seconds(username, address):
            throttle.refused(username, address, seconds)
            self.throttled = wait_message(seconds)
            raise ValidationError(self.throttled, code="throttled")
        try:
            cleaned = super().clean()
        except ValidationError:
            throttle.failed(username, address)
            raise
        throttle.succeeded(username)
        return cleaned


def wait_message(seconds):
    at = timezone.localtime(timezone.now() + timedelta(seconds=seconds))
    return _("Too many failed logins. You can try again at %(time)s.") % {
        "time": at.strftime("%H:%M:%S")
    }


def on_login(sender, request, user, **kwargs):
    """Staff and vendor sessions end after ``STAFF_SESSION_SECONDS`` (customers keep the
    default ``SESSION_COOKIE_AGE``)."""
    if request is not None and hasattr(request, "session") and user.role != Role.CUSTOMER:
        request.session.set_expiry(settings.STAFF_SESSION_SECONDS)
