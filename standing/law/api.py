"""``GET /api/v1/interest``: the interest calculator (SPEC §10), for staff and vendor users.

It reveals no one's data (it computes on what the caller sends), so vendor users may use it as
well as the operator's staff; customers and integrations may not.
"""

from ninja import Field, Query, Router, Schema

from standing.accounts.scoping import BACK_OFFICE, require

from . import services

router = Router(tags=["law"])


class PieceOut(Schema):
    from_: str = Field(alias="from", description="first day of the piece, YYYY-MM-DD")
    to: str = Field(description="last day of the piece, counted")
    days: int
    rate: str = Field(description="percent per year: the base rate in force + 5 or 9 points")
    base_rate: str = Field(description="the § 247 base rate in force, percent")
    amount: str = Field(description="the piece's interest to the cent (for display)")
    amount_exact: str = Field(description="the piece's interest, six decimals, not rounded")
    principal: str = Field(description="the open principal bearing interest in the piece")
    divisor: int = Field(description="365, or 366 in a leap year (act/act)")
    provisional: bool = Field(description="the base rate of these days is not entered yet")


class InterestOut(Schema):
    interest: str = Field(description="the exact pieces summed, rounded once half up")
    flat_fee: str = Field(description="§ 288 V BGB: 40.00 for a business debtor, else 0.00")
    provisional: bool = Field(description="some day lies after the base-rate table")
    pieces: list[PieceOut]
    principal: str
    debtor: str
    from_: str = Field(alias="from")
    to: str
    known_until: str = Field(description="the last day the base-rate table covers")


class InterestQuery(Schema):
    principal: str = Field("", description="amount, e.g. 1000.00")
    debtor: str = Field("", description="consumer | business")
    from_: str = Field("", alias="from", description="first day of default, YYYY-MM-DD")
    to: str = Field("", description="last interest day, YYYY-MM-DD, counted")


@router.get("", response=InterestOut, by_alias=True)
def interest(request, query: Query[InterestQuery]):
    """Default interest on ``principal`` from the first day of default ``from`` through ``to``,
    both counted (SPEC §7): act/act, cut at every base-rate change, rounded once."""
    require(request.actor, *BACK_OFFICE)
    # Bad input raises a ValidationError keyed by field: 422 {"detail": {field: [message]}}.
    return services.calculate(query.principal, query.debtor, query.from_, query.to).as_dict()
