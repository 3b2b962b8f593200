from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class DuplicatesConfig(AppConfig):
    name = "standing.duplicates"
    verbose_name = "Duplicates"

    def ready(self):
        from standing.accounts.models import Role
        from standing.core.bench import BENCHES
        from standing.core.context_processors import NAVIGATION
        from standing.core.demo import DEMO_STEPS
        from standing.customers.models import Customer
        from standing.customers.panels import PANELS, Panel

        from . import panels, services, signals
        from .demo import demo_duplicates

        post_save.connect(signals.customer_saved, sender=Customer, dispatch_uid="duplicates")
        staff = frozenset({Role.ADMIN, Role.SUPPORT})
        PANELS.register(
            Panel(
                "duplicates", "duplicates/panel.html", panels.context, "main", 5, staff, lazy=False
            )
        )
        NAVIGATION.register((_("Duplicates"), "duplicates:list", set(staff)), key="duplicates:list")
        DEMO_STEPS.register(demo_duplicates, key="duplicates")
        BENCHES.register(services.bench_duplicates, key="duplicates")
