# The orders app's fixtures (order_factory, deliver, login, English, fast hashing).
from standing.orders.tests.conftest import (  # noqa: F401
    _fast_passwords_and_english,
    deliver,
    login,
    order_factory,
)
