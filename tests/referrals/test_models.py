"""The schema and the referral rules on SQLite and on a real PostgreSQL server."""
from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker

from webapp import db as database
from webapp import models  # noqa: F401
from webapp.referrals import service
from webapp.referrals.models import Case, Referral, utcnow
from webapp.referrals.prefill import Prefill


@pytest.fixture
def maker(database_url):
    database.upgrade(database_url)
    engine = database.make_engine(database_url)
    yield sessionmaker(engine, expire_on_commit=False)
    engine.dispose()


def test_migrations_match_the_models(database_url):
    database.upgrade(database_url)
    engine = create_engine(database_url)
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), database.Base.metadata)
    engine.dispose()
    # Only differences that matter: missing or extra tables, columns and indexes.
    relevant = [d for d in diff if d[0] in ("add_table", "remove_table", "add_column", "remove_column",
                                            "add_index", "remove_index")]
    assert relevant == []


def _draft(maker, structures=("cdad-90", "fsl-90")):
    contact = service.Contact(contact_name="Test", contact_phone="0600000000")
    prefill = Prefill(request={"role": "tenant", "stage": "assignation", "commune": "90010"},
                      result={"urgency": "immediate", "deadlines": [{"kind": "hearing", "date": "2030-01-02",
                                                                     "label": "x"}]})
    return service.create_draft(maker, prefill=prefill, contact=contact, structures=list(structures), lang="fr",
                                consent_version="v", consent_text="text")


def test_case_confirmation_creates_one_referral_per_structure(maker):
    case_id = _draft(maker)
    with maker() as db:
        case = db.get(Case, case_id)
        assert case.state == "draft" and case.urgency_rank == 0 and case.next_deadline.isoformat() == "2030-01-02"
        assert case.consent_at.tzinfo is not None
        ids = service.confirm(db, case, base_url="http://x", structure_names={})
        db.commit()
        assert len(ids) == 2
        assert sorted(r.structure_id for r in case.referrals) == ["cdad-90", "fsl-90"]
        with pytest.raises(service.TransitionError):
            service.confirm(db, case, base_url="http://x", structure_names={})


def test_status_rules(maker):
    case_id = _draft(maker, structures=("cdad-90",))
    with maker() as db:
        case = db.get(Case, case_id)
        service.confirm(db, case, base_url="http://x", structure_names={})
        db.commit()
        referral = case.referrals[0]
        with pytest.raises(service.TransitionError):
            service.change_status(db, referral, "refusee", staff_id=None, reason=None)
        with pytest.raises(service.TransitionError):
            service.change_status(db, referral, "cloturee", staff_id=None, reason="hors_competence")
        service.change_status(db, referral, "prise_en_charge", staff_id=None)
        service.change_status(db, referral, "cloturee", staff_id=None, reason="fsl_accorde")
        db.commit()
        assert referral.closed_at is not None and referral.taken_at is not None
        with pytest.raises(service.TransitionError):
            service.change_status(db, referral, "prise_en_charge", staff_id=None)
        fresh = db.get(Referral, referral.id)
        assert fresh.closed_at <= utcnow()
