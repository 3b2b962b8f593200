from django.apps import AppConfig


class BlocksConfig(AppConfig):
    name = "standing.blocks"
    verbose_name = "Blocks"
