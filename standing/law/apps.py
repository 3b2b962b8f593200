from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LawConfig(AppConfig):
    name = "standing.law"
    verbose_name = "Law"

    def ready(self):
        from standing.accounts.models import Role
        from standing.core.context_processors import NAVIGATION
        from standing.core.sections import SETTINGS_SECTIONS

        # Staff and vendor users: the calculator shows nobody's data.
        entry = (
            _("Interest calculator"),
            "law:calculator",
            {Role.ADMIN, Role.SUPPORT, Role.VENDOR},
        )
        NAVIGATION.register(entry, key="law:calculator")
        SETTINGS_SECTIONS.register("law/settings_section.html", key="law")
