"""Every message of the code has an English translation, and the catalogue is current."""
from babel.messages.pofile import read_po

from tools import i18n


def test_every_msgid_has_an_english_translation():
    gaps = i18n.missing("en")
    assert gaps == [], "untranslated messages:\n" + "\n".join(gaps)


def test_po_file_on_disk_is_in_sync_with_the_code():
    """The .po used at run time holds every extracted msgid, translated."""
    with i18n.po_path("en").open("rb") as handle:
        catalog = read_po(handle, locale="en")
    translated = {m.id for m in catalog if m.id and m.string}
    extracted = {m.id for m in i18n.extract() if m.id}
    assert extracted - translated == set(), "run `make translations`"


def test_translation_is_used_at_run_time(en_client):
    assert "Skip to content" in en_client.get("/").get_data(as_text=True)


def test_templates_follow_a_forced_locale_and_come_back(app):
    """The templates' catalogue is kept per request, but a block under
    force_locale (the partners' e-mails are in French) gets French, and the
    page after it its own language again."""
    from flask import render_template_string
    from flask_babel import force_locale

    page = "{{ _('Aller au contenu') }}"
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        assert render_template_string(page) == "Skip to content"
        with force_locale("fr"):
            assert render_template_string(page) == "Aller au contenu"
        assert render_template_string(page) == "Skip to content"


def test_the_english_catalogue_is_not_marked_fuzzy():
    """Babel's placeholder header is fuzzy, and `pybabel compile` then skips the
    whole catalogue (the site would be French): other languages will follow."""
    from pathlib import Path

    from babel.messages.pofile import read_po

    path = Path(__file__).resolve().parents[2] / "translations" / "en" / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        catalog = read_po(handle, locale="en")
    assert not catalog.fuzzy
