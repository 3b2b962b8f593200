from django.apps import AppConfig


class CollectionConfig(AppConfig):
    name = "standing.collection"
    verbose_name = "Collection"

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from standing.accounts.models import Role
        from standing.core.bench import BENCHES
        from standing.core.bench import register as register_bench
        from standing.core.context_processors import NAVIGATION

        from .bench import bench_collection

        NAVIGATION.register(
            (_("Collection"), "collection:board", {Role.ADMIN, Role.SUPPORT, Role.VENDOR}),
            key="collection:board",
        )
        # The bench registry belongs to the bench (moving out of core); it keeps its own style.
        if "collection" not in BENCHES:
            register_bench("collection", bench_collection)
