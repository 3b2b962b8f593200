from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class ScreeningConfig(AppConfig):
    name = "standing.screening"
    verbose_name = "Screening"

    def ready(self):
        from standing.accounts.scoping import STAFF
        from standing.activity import display
        from standing.customers.panels import LIST_ACTIONS

        new_customer = (_("New customer"), "screening:new_customer", "person-plus", STAFF)
        LIST_ACTIONS.register(new_customer, key="screening:new_customer")
        from standing.core import overview
        from standing.customers.api import DENIAL_REASONS

        from .services import denial_reasons

        def reasons_for_api(customer):
            return [
                {"reason": f.kind, "attribute": f.attribute, "detail": f.detail}
                for f in denial_reasons(customer)
            ]

        DENIAL_REASONS.register(reasons_for_api, key="screening")

        from .views import denied_waiting, review_waiting

        overview.register(overview.Waiting("review", review_waiting, order=10))
        overview.register(overview.Waiting("denied", denied_waiting, order=20))
        display.label_fields(
            {
                "credit": _("credit check"),
                "findings": _("findings"),
                "entry": _("deny-list entry"),
                "score": _("score"),
            }
        )
        from standing.accounts.models import Role
        from standing.core.context_processors import NAVIGATION
        from standing.core.demo import DEMO_STEPS
        from standing.core.sections import SETTINGS_SECTIONS
        from standing.customers.models import Customer
        from standing.customers.panels import PANELS, Panel

        from . import panel
        from .demo import demo_step
        from .signals import customer_saved

        post_save.connect(customer_saved, sender=Customer, dispatch_uid="screening_keys")
        PANELS.register(
            Panel(
                "screening",
                "screening/panel.html",
                panel.context,
                column="main",
                order=22,
                roles=frozenset({Role.ADMIN, Role.SUPPORT}),
            )
        )
        staff = {Role.ADMIN, Role.SUPPORT}
        NAVIGATION.register(
            (_("Denied customers"), "screening:denied", staff), key="screening:denied"
        )
        NAVIGATION.register((_("Deny list"), "screening:denylist", staff), key="screening:denylist")
        SETTINGS_SECTIONS.register("screening/settings_section.html", key="screening")
        DEMO_STEPS.register(demo_step, key="screening")
