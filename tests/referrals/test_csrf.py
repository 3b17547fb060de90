"""With CSRF protection on (as in production), a form posted without its token stores nothing."""
import re

from sqlalchemy import func, select

from tests.helpers import make_test_app
from tests.referrals.referral_helpers import contact
from webapp.referrals.models import Case


def test_household_form_without_csrf_token_is_refused(tmp_path):
    app = make_test_app(tmp_path, WTF_CSRF_ENABLED=True, OUTBOX_SEND_INLINE=False)
    client = app.test_client()
    data = contact()
    data["structures"] = ["cdad-90"]
    r = client.post("/etre-recontacte", data=data)
    assert r.status_code == 400
    with app.extensions["db_sessionmaker"]() as db:
        assert db.scalar(select(func.count(Case.id))) == 0
    # With the token from the page, the same post goes through.
    html = client.get("/etre-recontacte").get_data(as_text=True)
    data["csrf_token"] = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    assert client.post("/etre-recontacte", data=data).status_code == 302
