from django.apps import AppConfig


class CollectionConfig(AppConfig):
    name = "standing.collection"
    verbose_name = "Collection"

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from standing.accounts.models import Role
        from standing.core.bench import BENCHES
        from standing.core.context_processors import NAVIGATION

        from .bench import bench_collection

        NAVIGATION.register(
            (
                _("Collection board"),
                "collection:board",
                {Role.ADMIN, Role.SUPPORT, Role.VENDOR},
                _("Collection"),
            ),
            key="collection:board",
        )
        BENCHES.register(bench_collection, key="collection")
