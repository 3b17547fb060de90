"""French phone numbers as staff type them: accepted forms, printed form, tel: link."""
import pytest

from webapp.directory.model import tel_uri
from webapp.directory.phone import InvalidPhone, normalise_phone


@pytest.mark.parametrize("typed, printed, uri", [
    ("0384000001", "03 84 00 00 01", "tel:+33384000001"),
    ("03.84.00.00.01", "03 84 00 00 01", "tel:+33384000001"),
    ("03-84-00-00-01", "03 84 00 00 01", "tel:+33384000001"),
    ("+33 3 84 00 00 01", "03 84 00 00 01", "tel:+33384000001"),
    ("+33 (0)3 84 00 00 01", "03 84 00 00 01", "tel:+33384000001"),
    ("0033384000001", "03 84 00 00 01", "tel:+33384000001"),
    ("06\u00a012 34 56 78", "06 12 34 56 78", "tel:+33612345678"),
    ("3039", "3039", "tel:3039"),
    ("34 14", "3414", "tel:3414"),
    ("115", "115", "tel:115"),
])
def test_accepted_numbers_are_printed_the_french_way(typed, printed, uri):
    assert normalise_phone(typed) == printed
    assert tel_uri(printed) == uri


@pytest.mark.parametrize("typed", ["", "12345", "0084000001", "06 12 34 56", "+44 20 7946 0000", "00 00 00 00 00",
                                   "3039 poste 2", "phone"])
def test_other_input_is_refused(typed):
    with pytest.raises(InvalidPhone):
        normalise_phone(typed)
