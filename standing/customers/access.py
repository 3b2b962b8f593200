"""Customer logins ("Zugänge"): invitation with an expiring link, new password, deletion.

The invitation link is Django's password-reset token: it expires after PASSWORD_RESET_TIMEOUT
and becomes invalid as soon as the password is set, so it works exactly once.
"""

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from standing.accounts.models import Role, User
from standing.activity.services import record
from standing.core.errors import DomainError


class NoLogin(DomainError):
    pass


def invitation_path(user):
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse("customer_access", args=[uid, default_token_generator.make_token(user)])


@transaction.atomic
def ensure_login(customer, actor):
    """The customer's login (user name: the customer number), created without a usable
    password when there is none yet."""
    user = customer.user
    if user is None:
        user = User(
            username=customer.number,
            email=customer.email,
            role=Role.CUSTOMER,
            first_name=customer.first_name,
            last_name=customer.last_name,
            language=customer.language,
        )
        user.set_unusable_password()
        user.save()
        customer.user = user
        customer.save(update_fields=["user"])
        record(customer, actor, "login.created", _("Login created by invitation"))
    return user


@transaction.atomic
def invite(customer, actor):
    """Create the login if there is none and send the invitation (again)."""
    from . import outbox

    if not customer.email:
        raise ValidationError(
            {"email": [_("The customer has no email address; add one in the master data.")]}
        )
    user = ensure_login(customer, actor)
    record(
        customer, actor, "login.invited", _("Invitation sent to %(to)s") % {"to": customer.email}
    )
    with translation.override(customer.language or settings.LANGUAGE_CODE):
        subject = _("Your customer login")
    outbox.enqueue(customer, subject, actor=actor, kind="invitation")
    return user


@transaction.atomic
def set_password(customer, actor, password):
    if customer.user is None:
        raise NoLogin(_("The customer has no login yet; send an invitation first."))
    try:
        validate_password(password, customer.user)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from None
    customer.user.set_password(password)
    customer.user.save(update_fields=["password"])
    record(customer, actor, "login.password_set", _("New password set by staff"))


@transaction.atomic
def delete_login(customer, actor):
    if customer.user is None:
        raise NoLogin(_("The customer has no login."))
    username = customer.user.username
    user = customer.user
    customer.user = None
    customer.save(update_fields=["user"])
    user.delete()
    record(customer, actor, "login.deleted", _("Login %(name)s deleted") % {"name": username})
