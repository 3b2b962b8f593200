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
        from standing.core import overview
        from standing.core.context_processors import NAVIGATION
        from standing.core.demo import DEMO_STEPS
        from standing.core.sections import SETTINGS_SECTIONS
        from standing.customers.lifecycle import ON_ENTER
        from standing.customers.models import CustomerStatus
        from standing.customers.panels import PANELS, Panel
        from standing.payments.services import ON_CREATED, ON_PAID

        from . import services
        from .demo import demo_offers
        from .services import on_link_created, on_link_paid
        from .verified import ACTIONS, on_verified
        from .views import open_tasks, outcome_panel, tasks_panel

        unknown = set(settings.VERIFIED_ACTIONS) - set(ACTIONS)
        if unknown:
            raise ImproperlyConfigured(f"Unknown VERIFIED_ACTIONS: {sorted(unknown)}")
        ON_ENTER.register((CustomerStatus.VERIFIED, on_verified), key="deposits.on_verified")
        ON_PAID.register(on_link_paid, key="deposits")
        ON_CREATED.register(on_link_created, key="deposits")
        staff = frozenset({Role.ADMIN, Role.SUPPORT})
        PANELS.register(
            Panel("outcome", "deposits/panel.html", outcome_panel, "main", 12, staff, lazy=False)
        )
        PANELS.register(
            Panel(
                "staff-tasks",
                "deposits/tasks_panel.html",
                tasks_panel,
                "side",
                20,
                staff,
                lazy=False,
            )
        )
        PANELS.register(
            Panel(
                "my-deposit",
                "deposits/portal_offer.html",
                lambda request, customer, actor: {"offer": services.open_offer(customer)},
                "portal",
                10,
                frozenset({"customer"}),
            )
        )
        SETTINGS_SECTIONS.register("deposits/settings_section.html", key="deposits")
        NAVIGATION.register(
            (_("Tasks"), "deposits:tasks", {Role.ADMIN, Role.SUPPORT}), key="deposits:tasks"
        )
        overview.register(overview.Waiting("tasks", open_tasks, order=40))
        DEMO_STEPS.register(demo_offers, key="deposits")
