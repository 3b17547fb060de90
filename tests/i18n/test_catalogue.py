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
