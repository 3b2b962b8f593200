from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class ScreeningConfig(AppConfig):
    name = "standing.screening"
    verbose_name = "Screening"

    def ready(self):
        from standing.activity import display

        display.label_fields(
            {
                "credit": _("credit check"),
                "findings": _("findings"),
                "entry": _("deny-list entry"),
                "score": _("score"),
            }
        )
        from standing.accounts.models import Role
        from standing.core import context_processors, demo, views
        from standing.customers.models import Customer
        from standing.customers.panels import Panel, register

        from . import panel
        from .demo import demo_step
        from .signals import customer_saved

        post_save.connect(customer_saved, sender=Customer, dispatch_uid="screening_keys")
        register(
            Panel(
                "screening",
                "screening/panel.html",
                panel.context,
                column="main",
                order=20,
                roles=frozenset({Role.ADMIN, Role.SUPPORT}),
            )
        )
        staff = {Role.ADMIN, Role.SUPPORT}
        context_processors.NAVIGATION.append((_("Denied customers"), "screening:denied", staff))
        context_processors.NAVIGATION.append((_("Deny list"), "screening:denylist", staff))
        views.SETTINGS_SECTIONS.append("screening/settings_section.html")
        demo.DEMO_STEPS.append(demo_step)
