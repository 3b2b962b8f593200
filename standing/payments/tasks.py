"""Network calls to payment providers, each outside any transaction (after commit)."""

from django.tasks import task

from . import services


@task()
def register_link(link_id: int):
    return services.register_remote(link_id)


@task()
def capture_link(link_id: int):
    return services.capture_remote(link_id)
