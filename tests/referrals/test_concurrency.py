"""200 households submit at the same time against a live threaded server: 200 stored, 200 e-mails."""
from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import requests
from sqlalchemy import func, select
from werkzeug.serving import make_server

from tests.helpers import make_test_app
from tests.referrals.referral_helpers import contact, make_staff
from webapp.referrals.models import Case, OutboxMessage, Referral

HOUSEHOLDS = 200


def test_200_concurrent_referrals_are_all_stored_and_notified(tmp_path, smtp, database_url):
    app = make_test_app(tmp_path, DATABASE_URL=database_url, SMTP_HOST="127.0.0.1", SMTP_PORT=smtp.port,
                        OUTBOX_SEND_INLINE=True)
    make_staff(app, "agent@cdad.example", "cdad-90")
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}"

    def household(i: int) -> str:
        with requests.Session() as s:
            data = contact(contact_name=f"Foyer {i}")
            data["structures"] = ["cdad-90"]
            r = s.post(f"{base}/etre-recontacte", data=data, allow_redirects=False, timeout=120)
            assert r.status_code == 302, r.text[:500]
            r = s.post(f"{base}/etre-recontacte/verifier", data={}, allow_redirects=False, timeout=120)
            assert r.status_code == 302, r.text[:500]
            page = s.get(f"{base}/etre-recontacte/confirmation", timeout=120).text
            return page.split('class="reference">', 1)[1][:8]

    started = time.monotonic()
    try:
        with ThreadPoolExecutor(max_workers=32) as pool:
            references = list(pool.map(household, range(HOUSEHOLDS)))
    finally:
        server.shutdown()
        thread.join()
    elapsed = time.monotonic() - started
    assert len(set(references)) == HOUSEHOLDS
    maker = app.extensions["db_sessionmaker"]
    with maker() as db:
        assert db.scalar(select(func.count(Case.id)).where(Case.state == "submitted")) == HOUSEHOLDS
        assert db.scalar(select(func.count(Referral.id))) == HOUSEHOLDS
        assert db.scalar(select(func.count(OutboxMessage.id))) == HOUSEHOLDS
    # "Eventually": whatever the inline attempt did not send, the cron command does.
    app.test_cli_runner().invoke(args=["outbox", "send", "--retry-now"])
    subjects = [m["Subject"] for m in smtp.messages]
    assert len(subjects) == HOUSEHOLDS
    assert {s.split()[2] for s in subjects} == set(references)
    with maker() as db:
        assert db.scalar(select(func.count(OutboxMessage.id)).where(OutboxMessage.status == "sent")) == HOUSEHOLDS
    print(f"\n{HOUSEHOLDS} referrals on {database_url.split(':')[0]} in {elapsed:.1f}s")


def test_a_double_click_on_send_confirms_once(tmp_path):
    app = make_test_app(tmp_path, OUTBOX_SEND_INLINE=False)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}"
    try:
        with requests.Session() as s:
            data = contact()
            data["structures"] = ["cdad-90", "fsl-90"]
            s.post(f"{base}/etre-recontacte", data=data, allow_redirects=False, timeout=60)
            barrier = threading.Barrier(8)

            def click(_):
                barrier.wait()
                return s.post(f"{base}/etre-recontacte/verifier", data={}, allow_redirects=False,
                              timeout=60).status_code

            with ThreadPoolExecutor(max_workers=8) as pool:
                codes = list(pool.map(click, range(8)))
    finally:
        server.shutdown()
        thread.join()
    assert set(codes) == {302}
    with app.extensions["db_sessionmaker"]() as db:
        assert db.scalar(select(func.count(Referral.id))) == 2
        assert db.scalar(select(func.count(OutboxMessage.id))) == 2
