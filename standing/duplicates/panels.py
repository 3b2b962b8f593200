"""The card's panel "Possible duplicates" (staff): the suggestions, each with merge and dismiss."""

from . import services


def context(request, customer, actor):
    found = services.stored_suggestions(customer, limit=10)
    for s in found:
        s.labels = services.reason_labels(s.reasons)
    return {"suggestions": found}
