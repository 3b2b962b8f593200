from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "standing.claims"
    verbose_name = "Claims"

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from standing.accounts.models import Role
        from standing.core import overview
        from standing.core.bench import BENCHES
        from standing.core.bench import register as register_bench
        from standing.core.context_processors import NAVIGATION
        from standing.core.demo import DEMO_STEPS
        from standing.core.tick import TICK_JOBS
        from standing.core.tick import register as register_tick
        from standing.core.views import SETTINGS_SECTIONS
        from standing.customers.panels import Panel
        from standing.customers.panels import register as register_panel
        from standing.orders.events import AFTER_EVENT
        from standing.payments.services import ON_PAID

        # Importing the run registers the daily run with the tick.
        from . import run  # noqa: F401
        from .bench import bench_claims
        from .demo import demo_claims, demo_collection_settings
        from .letters import sweep_unsent
        from .panels import claims_context, portal_letters_context
        from .services import on_link_paid, on_payment_event
        from .views import waiting_claims

        if on_payment_event not in AFTER_EVENT:
            AFTER_EVENT.append(on_payment_event)
        if on_link_paid not in ON_PAID:
            ON_PAID.append(on_link_paid)
        # Vendor users see the panel with their own vendor's claims only (claims_context scopes).
        register_panel(
            Panel(
                "claims",
                "claims/panel.html",
                claims_context,
                order=23,
                roles=frozenset({Role.ADMIN, Role.SUPPORT, Role.VENDOR}),
            )
        )
        # The customer's own page (/me/): their dunning letters with the PDFs.
        register_panel(
            Panel(
                "my_dunning_letters",
                "claims/portal_letters.html",
                portal_letters_context,
                column="portal",
                order=25,
                roles=frozenset({Role.CUSTOMER}),
            )
        )
        entry = (_("Claims"), "claims:list", {Role.ADMIN, Role.SUPPORT, Role.VENDOR})
        if entry[1] not in [name for _label, name, _roles in NAVIGATION]:
            NAVIGATION.append(entry)
        if "claims" not in BENCHES:
            register_bench("claims", bench_claims)
        if "claims/settings_section.html" not in SETTINGS_SECTIONS:
            SETTINGS_SECTIONS.append("claims/settings_section.html")
        if demo_claims not in DEMO_STEPS:
            # The settings come before the demo orders, whose events open the claims.
            DEMO_STEPS.insert(0, demo_collection_settings)
            DEMO_STEPS.append(demo_claims)
        overview.register(overview.Waiting("claims-waiting", waiting_claims, order=35))
        if sweep_unsent not in TICK_JOBS:
            register_tick(sweep_unsent)
