"""What happens when a customer becomes VERIFIED, on every path (screening, deposit paid by
link, deposit marked paid, accepted without deposit): the actions named in
``settings.VERIFIED_ACTIONS``, each at most once per customer (``VerifiedActionRun``), then
the automatic activation when ``AUTO_ACTIVATE_VERIFIED`` is on.

Registered in ``customers.lifecycle.ON_ENTER``: inside the status transition's transaction it
queues the actions for the worker (the task row commits with the status, or not at all) and
activates at once. A registration does not wait for the welcome email, the staff task and
their activity records (a quarter of a passing registration's queries)."""

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.tasks import task
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from standing.accounts.models import User
from standing.accounts.scoping import SYSTEM, Actor
from standing.activity.services import record
from standing.customers.lifecycle import transition
from standing.customers.models import Customer, CustomerFile, CustomerStatus
from standing.customers.services import send_message

from .models import StaffTask, VerifiedActionRun


def welcome_email(customer, actor):
    if not customer.email:
        record(
            customer,
            actor,
            "verified.welcome_email_skipped",
            _("No email address: no welcome email"),
        )
        return
    with translation.override(customer.language or settings.LANGUAGE_CODE):
        subject = _("Welcome to %(company)s") % {"company": settings.COMPANY["name"]}
        body = "\n".join(
            [
                _("Hello %(name)s,") % {"name": customer.first_name},
                "",
                _("your customer account %(number)s is confirmed. Welcome!")
                % {"number": customer.number},
                "",
                settings.COMPANY["name"],
            ]
        )
    send_message(customer, actor, subject, body)


def staff_task(customer, actor):
    StaffTask.objects.create(
        customer=customer,
        title=_("Welcome %(number)s %(name)s and check the account")
        % {"number": customer.number, "name": customer.full_name},
    )
    record(customer, actor, "verified.staff_task", _("Task for staff created"))


def confirmation_letter(customer, actor):
    transaction.on_commit(lambda: render_confirmation_letter.enqueue(customer.pk))


ACTIONS = {
    "welcome_email": (gettext_lazy("Welcome email to the customer"), welcome_email),
    "staff_task": (gettext_lazy("Task for staff"), staff_task),
    "document": (
        gettext_lazy("Confirmation letter (PDF) in the customer's documents"),
        confirmation_letter,
    ),
}


def on_verified(customer, actor):
    actor = actor or SYSTEM  # transition() also accepts no actor (the system)
    run_verified_actions.enqueue(customer.pk, actor.user.pk if actor.user else None)
    if settings.AUTO_ACTIVATE_VERIFIED:
        transition(customer, CustomerStatus.ACTIVE, actor, summary=_("Activated automatically"))


@task()
def run_verified_actions(customer_id: int, user_id: int | None):
    """The VERIFIED actions of ``settings.VERIFIED_ACTIONS`` for the customer, each at most
    once, on behalf of the user who verified them (None: the system). A customer erased or
    merged away meanwhile gets none."""
    customer = Customer.objects.filter(pk=customer_id).first()
    if customer is None or customer.status in (CustomerStatus.DELETED, CustomerStatus.MERGED):
        return
    user = User.objects.filter(pk=user_id).first() if user_id else None
    with transaction.atomic():
        _run_actions(customer, Actor.of(user) if user else SYSTEM)


def _run_actions(customer, actor):
    names = list(dict.fromkeys(settings.VERIFIED_ACTIONS))
    try:
        # The first time (the usual case): every run recorded by one INSERT.
        with transaction.atomic():
            VerifiedActionRun.objects.bulk_create(
                VerifiedActionRun(customer=customer, action=name) for name in names
            )
    except IntegrityError:
        # VERIFIED before: each action on its own, those that ran already are left out.
        names = [name for name in names if _first_run(customer, name)]
    for name in names:
        ACTIONS[name][1](customer, actor)


def _first_run(customer, name):
    try:
        with transaction.atomic():
            VerifiedActionRun.objects.create(customer=customer, action=name)
    except IntegrityError:
        return False  # ran already when the customer was VERIFIED before
    return True


@task()
def render_confirmation_letter(customer_id: int):
    """The account confirmation letter (DIN 5008), kept in the customer's documents."""
    from standing.core import letters

    customer = Customer.objects.get(pk=customer_id)
    name = f"Bestaetigung-{customer.number}.pdf"
    if customer.files.filter(name=name).exists():
        return
    language = customer.language or settings.LANGUAGE_CODE
    creditor = letters.Creditor.operator()
    with translation.override(language):
        today = timezone.localdate()
        content = letters.render(
            letters.Letter(
                creditor=creditor,
                recipient=letters.recipient_lines(customer),
                subject=_("Your customer account is confirmed"),
                info=[
                    (_("Customer number"), customer.number),
                    (_("Date"), today.strftime("%d.%m.%Y")),
                ],
                body=[
                    letters.Text(_("Dear %(name)s,") % {"name": customer.full_name}),
                    letters.Space(1.5),
                    letters.Text(
                        _("we are pleased to confirm your customer account %(number)s.")
                        % {"number": customer.number}
                    ),
                    letters.Closing(_("Kind regards"), creditor.name),
                ],
                language=language,
            )
        )
    stored = CustomerFile(
        customer=customer, name=name, content_type="application/pdf", size=len(content)
    )
    stored.file.save(name, ContentFile(content), save=False)
    stored.save()
    record(
        customer,
        None,
        "verified.document",
        _("Confirmation letter %(name)s filed") % {"name": name},
    )
