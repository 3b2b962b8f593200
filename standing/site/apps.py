from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SiteConfig(AppConfig):
    name = "standing.site"
    verbose_name = "Site"

    def ready(self):
        from standing.core.context_processors import NAVIGATION

        NAVIGATION.register((_("Overview"), "home", {"admin", "support"}), key="home", order=10)
        NAVIGATION.register(
            (_("Settings"), "core:settings", {"admin"}), key="core:settings", order=40
        )
