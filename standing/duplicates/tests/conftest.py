import pytest


@pytest.fixture
def person(customer_factory):
    """customer_factory with its own phone per customer (the factory's default phone is one
    for everybody, which would make every pair a duplicate)."""
    counter = iter(range(100_000, 999_999))

    def make(**values):
        return customer_factory(**({"phone": f"+49 171 5{next(counter)}"} | values))

    return make
