"""The directory in the database: idempotent import, staff edits kept, edits served by every worker."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import sessionmaker

from tests.helpers import make_test_app
from webapp import db as database
from webapp import models  # noqa: F401  (every table in the metadata)
from webapp.directory import Directory, get_directory
from webapp.directory.store import (
    DirectoryChange, DirectoryField, DirectoryStructure, import_structures, load_edits, save_edit,
)
from webapp.staff.accounts import add_account

CONTENT = Path(__file__).resolve().parents[2] / "content"


@pytest.fixture
def content_copy(tmp_path):
    target = tmp_path / "content"
    for part in ("communes", "structures", "sectors"):
        shutil.copytree(CONTENT / part, target / part)
    return target


@pytest.fixture
def maker(database_url):
    database.upgrade(database_url)
    engine = database.make_engine(database_url)
    yield sessionmaker(engine, expire_on_commit=False)
    engine.dispose()


def _agent(db, email="agent@cdad.example", structure="cdad-90"):
    user = add_account(db, email, structure, "a long enough password", is_admin=False,
                       known_structures={structure})
    db.commit()
    return user


def test_import_twice_adds_nothing_the_second_time(maker, content_copy):
    directory = Directory.load(content_copy)
    with maker() as db:
        first = import_structures(db, directory)
        second = import_structures(db, directory)
        count = db.scalar(select(func.count()).select_from(DirectoryStructure))
        phone = db.get(DirectoryField, ("point-justice-3039", "phone"))
    assert first.structures_added == len(directory.structures()) == count
    assert first.fields_added == count * 6
    assert (second.structures_added, second.fields_added, second.fields_updated) == (0, 0, 0)
    # The files' source and verification date travel with each contact value.
    assert phone.value == "3039" and phone.source.startswith("https://") and phone.verified.isoformat() == "2026-11-23"
    assert phone.origin == "file"


def test_import_keeps_staff_edits_and_takes_new_files_and_fields(maker, content_copy):
    with maker() as db:
        import_structures(db, Directory.load(content_copy))
        agent = _agent(db)
        cdad = Directory.load(content_copy).structure("cdad-90")
        assert save_edit(db, cdad, {"phone": "03 84 00 00 01"}, agent) == ["phone"]
        db.commit()
    # The files change afterwards: a phone for the CDAD (staff set theirs), an
    # e-mail for the FSL (a new field), and a new structure.
    source = "https://example.org/source"
    cdad_file = content_copy / "structures" / "cdad-90.yaml"
    cdad_file.write_text(cdad_file.read_text(encoding="utf-8").replace(
        "phone: null", f'phone:\n  value: "03 84 99 99 99"\n  source: {source}\n  verified: 2026-11-24'),
        encoding="utf-8")
    fsl_file = content_copy / "structures" / "fsl-90.yaml"
    assert "email: null" in fsl_file.read_text(encoding="utf-8")
    fsl_file.write_text(fsl_file.read_text(encoding="utf-8").replace(
        "email: null", f"email:\n  value: fsl@example.org\n  source: {source}\n  verified: 2026-11-24"),
        encoding="utf-8")
    new = (content_copy / "structures" / "ccas-belfort.yaml").read_text(encoding="utf-8")
    (content_copy / "structures" / "ccas-test.yaml").write_text(new.replace("id: ccas-belfort", "id: ccas-test"),
                                                                 encoding="utf-8")
    with maker() as db:
        report = import_structures(db, Directory.load(content_copy))
        cdad_phone = db.get(DirectoryField, ("cdad-90", "phone"))
        fsl_email = db.get(DirectoryField, ("fsl-90", "email"))
        assert db.get(DirectoryStructure, "ccas-test") is not None
        served = Directory.load(content_copy).with_edits(load_edits(db))
    assert report.structures_added == 1 and report.staff_fields_kept >= 1 and report.fields_updated == 1
    assert (cdad_phone.value, cdad_phone.origin, cdad_phone.updated_by) == ("03 84 00 00 01", "staff",
                                                                            "agent@cdad.example")
    assert cdad_phone.source == "Déclaré par la structure (agent@cdad.example)"
    assert (fsl_email.value, fsl_email.origin, fsl_email.source) == ("fsl@example.org", "file", source)
    # What the app serves: the staff's phone wins over the file's, the file's new e-mail shows.
    assert served.structure("cdad-90").contact("phone").value == "03 84 00 00 01"
    assert served.structure("fsl-90").contact("email").value == "fsl@example.org"


def test_save_edit_records_history_and_ignores_unchanged_fields(maker, content_copy):
    directory = Directory.load(content_copy)
    cdad = directory.structure("cdad-90")
    with maker() as db:
        agent = _agent(db)
        unchanged = {"address": None, "referral": dict(cdad.referral)}
        assert save_edit(db, cdad, unchanged, agent) == []
        assert save_edit(db, cdad, {**unchanged, "address": "1 rue de l'Exemple, 90000 Belfort"}, agent) == ["address"]
        db.commit()
        change = db.scalar(select(DirectoryChange))
        audit = db.execute(select(models.staff_models.AuditEntry.action, models.staff_models.AuditEntry.detail)
                           .where(models.staff_models.AuditEntry.action == "structure_edit")).all()
    assert (change.structure_id, change.field, change.old_value, change.new_value) == (
        "cdad-90", "address", None, "1 rue de l'Exemple, 90000 Belfort")
    assert change.staff_email == "agent@cdad.example" and change.at is not None
    assert audit == [("structure_edit", "cdad-90 address")]


def test_every_worker_serves_an_edit_made_through_another(tmp_path, database_url):
    """Two apps on one database stand for two gunicorn workers: an edit in one is served by the other."""
    worker_a = make_test_app(tmp_path, DATABASE_URL=database_url)
    worker_b = make_test_app(tmp_path, DATABASE_URL=database_url)
    client_b = worker_b.test_client()
    assert client_b.get("/api/structures/cdad-90").get_json()["structure"]["phone"] is None
    with worker_a.app_context():
        maker = worker_a.extensions["db_sessionmaker"]
        with maker() as db:
            agent = _agent(db)
            save_edit(db, get_directory(worker_a).structure("cdad-90"), {"phone": "3039"}, agent)
            db.commit()
    structure = client_b.get("/api/structures/cdad-90").get_json()["structure"]
    assert structure["phone"] == "3039" and structure["phone_uri"] == "tel:3039"
    assert structure["contact_sources"]["phone"]["declared_by_structure"] is True
    # The agent's address stays in the back office.
    assert "agent@" not in str(structure)


def test_cli_import_is_idempotent(tmp_path):
    app = make_test_app(tmp_path)
    runner = app.test_cli_runner()
    first = runner.invoke(args=["directory", "import"])
    assert first.exit_code == 0, first.output
    assert first.output.startswith(f"{len(get_directory(CONTENT).structures())} structures added")
    second = runner.invoke(args=["directory", "import"])
    assert second.output.startswith("0 structures added, 0 fields added, 0 fields updated")


def test_files_alone_still_load_without_a_database(content_copy):
    directory = get_directory(content_copy)
    assert directory.structure("cdad-90").contact("phone") is None
    assert directory.structure("caf-rdv-belfort").last_updated.isoformat() == "2026-11-23"


def test_a_database_without_the_edits_still_serves_the_files(tmp_path, database_url, caplog):
    """The version is asked on every request; a database not yet migrated answers with an
    error, and the site serves the files' directory, once warned, never an error page."""
    import sqlalchemy as sa

    app = make_test_app(tmp_path, DATABASE_URL=database_url)
    with app.extensions["db_engine"].begin() as conn:
        conn.execute(sa.text("drop table directory_change"))
    client = app.test_client()
    for _ in range(2):
        response = client.get("/api/structures/cdad-90")
        assert response.status_code == 200
        assert response.get_json()["structure"]["id"] == "cdad-90"
    assert caplog.text.count("directory edits unavailable") == 1
