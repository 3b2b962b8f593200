class DomainError(Exception):
    """A request that is well-formed but not possible in the current state (HTTP 409).

    Subclasses name the rule that refused; the message is written for a person to act on.
    """

    status = 409
