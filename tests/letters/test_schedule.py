"""Repayment schedule arithmetic: the instalments always add up to the debt, to the cent."""
import datetime as dt
import random
from decimal import Decimal

import pytest

from webapp.letters.schedule import ScheduleError, repayment_schedule

JAN_31 = dt.date(2026, 1, 31)


def test_three_instalments_of_a_thousand_euros_put_the_cent_on_the_last():
    s = repayment_schedule("1000", 3, JAN_31)
    assert [i.amount for i in s.instalments] == [Decimal("333.33"), Decimal("333.33"), Decimal("333.34")]
    assert s.total == Decimal("1000.00")
    assert [i.remaining for i in s.instalments] == [Decimal("666.67"), Decimal("333.34"), Decimal("0.00")]


def test_even_split_has_equal_instalments():
    s = repayment_schedule(Decimal("1200"), 12, JAN_31)
    assert {i.amount for i in s.instalments} == {Decimal("100.00")}
    assert s.regular == s.last == Decimal("100.00")


def test_monthly_payment_is_current_rent_and_charges_plus_the_instalment():
    s = repayment_schedule("1300", 6, JAN_31, rent_with_charges="650.00")
    assert s.regular == Decimal("216.66") and s.last == Decimal("216.70")
    assert s.monthly_payment == Decimal("866.66")
    assert s.last_payment == Decimal("866.70")


def test_due_dates_stay_on_the_month_end_and_clamp_in_short_months():
    s = repayment_schedule("400", 4, JAN_31)
    assert [i.due for i in s.instalments] == [dt.date(2026, 1, 31), dt.date(2026, 2, 28),
                                              dt.date(2026, 3, 31), dt.date(2026, 4, 30)]
    leap = repayment_schedule("200", 2, dt.date(2028, 1, 31))
    assert leap.instalments[1].due == dt.date(2028, 2, 29)
    year_end = repayment_schedule("300", 3, dt.date(2026, 12, 15))
    assert [i.due for i in year_end.instalments] == [dt.date(2026, 12, 15), dt.date(2027, 1, 15), dt.date(2027, 2, 15)]


def test_amounts_given_with_more_than_two_decimals_are_rounded_to_the_cent():
    s = repayment_schedule(1234.565, 2, JAN_31)
    assert s.debt == Decimal("1234.57") and s.total == Decimal("1234.57")


def test_property_total_always_equals_the_debt():
    """Thousands of random debts and lengths, plus the awkward edges."""
    rng = random.Random(20260504)
    cases = [(1, 1), (2, 2), (36, 36), (99, 36), (100, 3), (3600, 36), (3601, 36), (3599, 36),
             (100_000_00, 7), (99_999_99, 36)]
    cases += [(rng.randint(1, 5_000_000), rng.randint(1, 36)) for _ in range(3000)]
    for cents, months in cases:
        if months > cents:
            continue
        debt = Decimal(cents) / 100
        s = repayment_schedule(debt, months, JAN_31, max_months=36)
        amounts = [i.amount for i in s.instalments]
        assert len(amounts) == months
        assert sum(amounts) == debt, (debt, months)
        assert all(a >= Decimal("0.01") for a in amounts)
        assert all(a == s.regular for a in amounts[:-1])
        # The last one absorbs fewer cents than there are instalments.
        assert Decimal(0) <= s.last - s.regular < Decimal(months) / 100
        assert s.instalments[-1].remaining == 0
        assert all(a.as_tuple().exponent == -2 for a in amounts)


@pytest.mark.parametrize("debt, months, field, code", [
    ("0", 3, "amount", "not_positive"),
    ("-5", 3, "amount", "not_positive"),
    ("100", 0, "months", "too_few"),
    ("0.02", 3, "months", "more_than_cents"),
    ("100", 37, "months", "too_many"),
    ("abc", 3, "amount", "not_a_number"),
])
def test_impossible_schedules_are_refused_with_the_field_concerned(debt, months, field, code):
    with pytest.raises(ScheduleError) as info:
        repayment_schedule(debt, months, JAN_31, max_months=36)
    assert (info.value.field, info.value.code) == (field, code)
