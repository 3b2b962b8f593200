import pytest

from standing.orders.lifecycle import (
    INSTALLMENT_TRANSITIONS,
    InstallmentTransitionNotAllowed,
    check_installment_transition,
)
from standing.orders.models import Installment, InstallmentState

I = InstallmentState  # noqa: E741


@pytest.mark.parametrize(
    "frm,to",
    [
        (f, t)
        for f in I.values
        for t in I.values
        if f != t and (f, t) not in INSTALLMENT_TRANSITIONS
    ],
)
def test_every_other_installment_transition_is_refused(frm, to):
    with pytest.raises(InstallmentTransitionNotAllowed):
        check_installment_transition(Installment(sequence=1), frm, to)


def test_paid_and_cancelled_installments_only_move_by_chargeback():
    assert {t for f, t in INSTALLMENT_TRANSITIONS if f == I.PAID} == {I.CHARGED_BACK}
    assert not {t for f, t in INSTALLMENT_TRANSITIONS if f == I.CANCELLED}
