import io
import json
import zipfile

import pytest

from .rich import make_rich_customer


@pytest.fixture
def rich(vendor1, support_user, django_capture_on_commit_callbacks):
    return make_rich_customer(vendor1, support_user, django_capture_on_commit_callbacks)


def read_zip(data: bytes):
    """(customer.json as dict, {name: bytes}) of an export."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert archive.testzip() is None
    files = {name: archive.read(name) for name in archive.namelist()}
    return json.loads(files.pop("customer.json")), files


@pytest.fixture
def customer_login(client):
    def as_(customer):
        customer.user.set_password("pw-customer-1")
        customer.user.language = "en"
        customer.user.save()
        client.force_login(customer.user)
        return client

    return as_
