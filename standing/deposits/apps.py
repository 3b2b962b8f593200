from django.apps import AppConfig
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _


class DepositsConfig(AppConfig):
    name = "standing.deposits"
    verbose_name = "Deposits"

    def ready(self):
        from standing.activity import display

        from .models import BillingStep, OfferStatus

        display.label_fields({"billing_step": _("billing step"), "payment_link": _("payment link")})
        display.label_values("status", OfferStatus, prefix="deposit")
        display.label_values("billing_step", BillingStep)
        from django.conf import settings

        from standing.accounts.models import Role
        from standing.core.context_processors import NAVIGATION
        from standing.core.demo import DEMO_STEPS
        from standing.core.views import SETTINGS_SECTIONS
        from standing.customers.lifecycle import ON_ENTER
        from standing.customers.models import CustomerStatus
        from standing.customers.panels import Panel, register
        from standing.payments.services import ON_PAID

        from . import services
        from .demo import demo_offers
        from .services import on_link_paid
        from .verified import ACTIONS, on_verified
        from .views import outcome_panel, tasks_panel

        unknown = set(settings.VERIFIED_ACTIONS) - set(ACTIONS)
        if unknown:
            raise ImproperlyConfigured(f"Unknown VERIFIED_ACTIONS: {sorted(unknown)}")
        if on_verified not in ON_ENTER.setdefault(CustomerStatus.VERIFIED, []):
            ON_ENTER[CustomerStatus.VERIFIED].append(on_verified)
        if on_link_paid not in ON_PAID:
            ON_PAID.append(on_link_paid)
        staff = frozenset({Role.ADMIN, Role.SUPPORT})
        register(Panel("outcome", "deposits/panel.html", outcome_panel, "main", 10, staff))
        register(Panel("staff-tasks", "deposits/tasks_panel.html", tasks_panel, "side", 20, staff))
        register(
            Panel(
                "my-deposit",
                "deposits/portal_offer.html",
                lambda request, customer, actor: {"offer": services.open_offer(customer)},
                "portal",
                10,
                frozenset({"customer"}),
            )
        )
        SETTINGS_SECTIONS.append("deposits/settings_section.html")
        NAVIGATION.append((_("Tasks"), "deposits:tasks", {Role.ADMIN, Role.SUPPORT}))
        DEMO_STEPS.append(demo_offers)
