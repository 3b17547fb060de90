"""Deadline arithmetic: month ends, the 29 July 2023 cut-off, the winter truce."""
import datetime as dt

import pytest

from tests.triage.triage_helpers import RULES, situation
from webapp.triage import deadlines as dl
from webapp.triage.engine import deadline_list

D = dt.date.fromisoformat


@pytest.mark.parametrize("start, months, expected", [
    ("2025-01-31", 1, "2025-02-28"),
    ("2024-01-31", 1, "2024-02-29"),   # leap year
    ("2025-03-31", 1, "2025-04-30"),
    ("2025-08-31", 2, "2025-10-31"),
    ("2025-12-31", 2, "2026-02-28"),
    ("2025-11-30", 3, "2026-02-28"),
    ("2025-12-15", 1, "2026-01-15"),   # year change
    ("2025-05-10", -2, "2025-03-10"),
    ("2025-04-30", -2, "2025-02-28"),
])
def test_add_months_clamps_to_month_end(start, months, expected):
    assert dl.add_months(D(start), months) == D(expected)


# An older lease or an unknown one: the tenant's safe date is the short
# period's, the landlord's the long one's (renewed leases are debated, brief §1.2).
@pytest.mark.parametrize("lease, commandement, tenant, landlord, case", [
    ("2023-07-29", "2025-01-31", "2025-03-14", "2025-03-14", "on_or_after_cutoff"),  # the day itself: 6 weeks
    ("2023-07-28", "2025-01-31", "2025-03-14", "2025-03-31", "before_cutoff"),       # the day before
    ("2020-05-01", "2025-12-31", "2026-02-11", "2026-02-28", "before_cutoff"),       # 2 months, clamped
    ("2020-05-01", "2024-12-31", "2025-02-11", "2025-02-28", "before_cutoff"),
    ("2023-12-01", "2025-12-31", "2026-02-11", "2026-02-11", "on_or_after_cutoff"),  # 6 weeks over the new year
    (None, "2025-01-31", "2025-03-14", "2025-03-31", "lease_unknown"),
])
def test_payment_deadline_depends_on_the_lease_date(lease, commandement, tenant, landlord, case):
    lease_date = D(lease) if lease else None
    assert dl.payment_deadline(RULES, D(commandement), lease_date) == D(tenant)
    assert dl.payment_deadline(RULES, D(commandement), lease_date, role="landlord") == D(landlord)
    assert dl.payment_period(RULES, lease_date)[1] == case
    assert dl.latest_payment_deadline(RULES, D(commandement)) == max(D(tenant), D(landlord), dl.add_months(
        D(commandement), 2))


def test_unknown_lease_date_label_warns_that_older_leases_may_have_two_months():
    [deadline] = deadline_list(situation(commandement_date="2026-01-31", today=D("2026-02-02")), RULES, "fr")
    assert deadline["kind"] == "payment_deadline" and deadline["date"] == "2026-03-14"
    assert "6 semaines" in deadline["label"] and "2 mois" in deadline["label"]
    assert "29 juillet 2023" in deadline["label"]
    [known] = deadline_list(situation(commandement_date="2026-01-31", lease_date="2024-01-01",
                                      today=D("2026-02-02")), RULES, "en")
    assert "6 weeks" in known["label"] and "may be" not in known["label"]


@pytest.mark.parametrize("served, expected", [
    ("2025-01-31", "2025-02-28"),
    ("2024-01-31", "2024-02-29"),
    ("2025-06-15", "2025-07-15"),
    ("2025-12-31", "2026-01-31"),
])
def test_appeal_deadline_is_one_month_after_service(served, expected):
    assert dl.appeal_deadline(RULES, D(served)) == D(expected)


# The eviction may take place once the 2 months have run out: the day after
# their last day (CPCE L412-1, "à l'expiration du délai").
@pytest.mark.parametrize("cql, expected, pushed", [
    ("2025-06-15", "2025-08-16", False),
    ("2025-08-30", "2025-10-31", False),   # last day before the truce
    ("2025-08-31", "2026-04-01", True),    # the 2 months end on 31 October: 1 November is in the truce
    ("2025-09-01", "2026-04-01", True),
    ("2025-10-15", "2026-04-01", True),    # lands in December
    ("2025-12-31", "2026-04-01", True),    # 28 February, same winter
    ("2026-01-30", "2026-04-01", True),    # the 2 months end on 30 March: 31 March, the truce's last day
    ("2026-01-31", "2026-04-01", False),   # the 2 months end on 31 March: 1 April itself
    ("2026-02-01", "2026-04-02", False),
    ("2023-12-31", "2024-04-01", True),    # 29 February of a leap year, then 1 March
])
def test_earliest_eviction_is_pushed_out_of_the_winter_truce(cql, expected, pushed):
    assert dl.earliest_eviction(RULES, D(cql)) == (D(expected), pushed)


@pytest.mark.parametrize("day, inside", [
    ("2025-10-31", False), ("2025-11-01", True), ("2025-12-31", True),
    ("2026-01-01", True), ("2026-03-31", True), ("2026-04-01", False), ("2026-07-14", False),
])
def test_winter_truce_boundaries(day, inside):
    assert dl.in_winter_truce(RULES, D(day)) is inside


def test_deadlines_are_listed_earliest_first_without_weekend_shift():
    s = situation(stage="commandement_de_quitter", today=D("2026-05-04"),
                  commandement_date="2025-06-07",          # +6 weeks = Saturday 2025-07-19
                  hearing_date="2025-12-01", judgment_served_date="2026-01-10",
                  commandement_de_quitter_date="2026-03-14", lease_date="2024-01-01")
    got = [(d["kind"], d["date"]) for d in deadline_list(s, RULES, "fr")]
    assert got == [("payment_deadline", "2025-07-19"), ("hearing", "2025-12-01"),
                   ("appeal_deadline", "2026-02-10"), ("earliest_eviction", "2026-05-15")]
    assert D("2025-07-19").weekday() == 5  # a Saturday, kept as is


@pytest.mark.parametrize("lang, words", [("fr", ("1 mois", "référé", "15 jours", "CDAD")),
                                         ("en", ("1 month", "référé", "15 days", "CDAD"))])
def test_the_appeal_date_warns_that_a_refere_order_may_have_less_time(lang, words):
    """The month is for a judgment; a référé order probably has 15 days (brief: UNCERTAIN)."""
    s = situation(stage="jugement", today=D("2026-04-02"), judgment_served_date="2026-03-31")
    [appeal] = [d for d in deadline_list(s, RULES, lang) if d["kind"] == "appeal_deadline"]
    assert appeal["date"] == "2026-04-30"
    assert all(word in appeal["label"] for word in words), appeal["label"]


def test_an_old_lease_s_two_months_say_a_renewed_lease_may_have_six_weeks():
    """Whether a pre-2023 lease renewed since has 6 weeks is debated (brief §1.2): the date says so."""
    s = situation(stage="commandement_de_payer", today=D("2026-04-02"), commandement_date="2026-03-31",
                  lease_date="2019-01-10")
    [pay] = [d for d in deadline_list(s, RULES, "fr") if d["kind"] == "payment_deadline"]
    assert pay["date"] == "2026-05-12"      # the safe date: 6 weeks
    assert "par prudence" in pay["label"] and "renouvelé" in pay["label"] and "6 semaines" in pay["label"]
    assert "2 mois, jusqu'au 31 mai 2026" in pay["label"]
    recent = situation(stage="commandement_de_payer", today=D("2026-04-02"), commandement_date="2026-03-31",
                       lease_date="2024-01-10")
    [pay] = [d for d in deadline_list(recent, RULES, "fr") if d["kind"] == "payment_deadline"]
    assert "peut-être" not in pay["label"] and "discutée" not in pay["label"]
