from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "standing.claims"
    verbose_name = "Claims"

    def ready(self):
        from standing.orders.events import AFTER_EVENT
        from standing.payments.services import ON_PAID

        # Importing the run registers the daily run with the tick.
        from . import run  # noqa: F401
        from .services import on_link_paid, on_payment_event

        if on_payment_event not in AFTER_EVENT:
            AFTER_EVENT.append(on_payment_event)
        if on_link_paid not in ON_PAID:
            ON_PAID.append(on_link_paid)
        from standing.core.tick import TICK_JOBS, register

        from .letters import sweep_unsent

        if sweep_unsent not in TICK_JOBS:
            register(sweep_unsent)
