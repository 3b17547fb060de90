"""Builders for apps whose directory differs from the files in one fact, for the pages that quote it."""
from __future__ import annotations

import itertools
import shutil
from pathlib import Path

from tests.helpers import make_test_app
from tests.referrals.referral_helpers import login, make_staff

CONTENT = Path(__file__).resolve().parents[2] / "content"


def app_without_free_call(tmp_path, structure_id: str, **config):
    """An app whose directory files no longer say that calling `structure_id` is free (free_call: null)."""
    target = tmp_path / "directory-content"
    for part in ("communes", "structures", "sectors"):
        shutil.copytree(CONTENT / part, target / part)
    path = target / "structures" / f"{structure_id}.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("free_call:")
    end = text.index("\n", text.index("verified:", start)) + 1
    path.write_text(text[:start] + "free_call: null\n" + text[end:], encoding="utf-8")
    return make_test_app(tmp_path, DIRECTORY_CONTENT_DIR=str(target), **config)


def staff_sets_phone(app, structure_id: str, phone: str) -> None:
    """An admin changes (or, with "", clears) one structure's phone in the back office, nothing else."""
    staff_edits(app, structure_id, phone=phone)


_admins = itertools.count()


def staff_edits(app, structure_id: str, **changes: str) -> None:
    """An admin posts one structure's edit form with `changes` (form field names:
    phone, address, opening_hours_fr…) and every other field as served now."""
    from webapp.directory import get_directory

    with app.app_context():
        s = get_directory(app).structure(structure_id)
    email = f"admin-{next(_admins)}-{structure_id}@cdad.example"
    make_staff(app, email, "cdad-90", admin=True)
    admin = app.test_client()
    assert login(admin, email).status_code == 302

    def value(field: str, lang: str = "fr") -> str:
        contact = s.contact(field)
        return contact.text(lang) if contact else ""

    form = {"address": value("address"), "phone": value("phone"), "email": value("email"),
            "website": value("website"),
            "opening_hours_fr": value("opening_hours"), "opening_hours_en": value("opening_hours", "en"),
            "referral_fr": s.referral["fr"], "referral_en": s.referral["en"]}
    form.update(changes)
    response = admin.post(f"/staff/structures/{structure_id}/modifier", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
