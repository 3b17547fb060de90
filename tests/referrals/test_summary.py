"""The situation summary staff and the household read: a lease date as the household gave it."""
import pytest
from flask_babel import force_locale

from tests.helpers import make_test_app
from webapp.referrals.summary import situation_rows


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return make_test_app(tmp_path_factory.mktemp("summary"))


@pytest.mark.parametrize("lang, request_, shown", [
    ("fr", {"lease_date": "2023-07-01", "lease_date_precision": "month"}, "juillet 2023 (mois seulement)"),
    ("fr", {"lease_date": "2023-01-01", "lease_date_precision": "year"}, "2023 (année seulement)"),
    ("fr", {"lease_date": "2023-07-01"}, "1er juillet 2023"),
    ("en", {"lease_date": "2023-07-01", "lease_date_precision": "month"}, "July 2023 (month only)"),
])
def test_a_lease_date_given_to_the_month_is_not_shown_as_a_day(app, lang, request_, shown):
    """"fin juillet 2023" in the chat reached staff as "1 juillet 2023", a day nobody said."""
    with app.test_request_context(), force_locale(lang):
        rows = dict(situation_rows({"role": "tenant", **request_}))
    assert rows[{"fr": "Date du bail", "en": "Lease date"}[lang]] == shown
