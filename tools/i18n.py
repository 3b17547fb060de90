"""Message catalogues: extract, merge translations, compile, check.

French is the source language: msgids are the French text. Translations of
each area live in translations/areas/<area>.yaml ({msgid: English text}); the
catalogue translations/<lang>/LC_MESSAGES/messages.po is rebuilt from the
extracted msgids and those files, so that several people can translate
different areas without editing one .po file at the same time. A msgid missing
from every area file stays empty in the .po, and `check` fails on it.

Usage: python -m tools.i18n [extract|update|compile|check|all]
"""
from __future__ import annotations

import io
import re
import sys
from pathlib import Path

import yaml
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "translations"
AREAS = TRANSLATIONS / "areas"
TARGET_LANGUAGES = ("en",)
KEYWORDS = {"_": None, "gettext": None, "lazy_gettext": None, "_l": None,
            "ngettext": (1, 2), "lazy_ngettext": (1, 2)}
METHODS = [("webapp/**.py", "python"), ("webapp/templates/**.html", "jinja2")]


def extract() -> Catalog:
    """Every translatable msgid in the webapp's code and templates."""
    catalog = Catalog(project="rester-chez-soi", locale="fr")
    for filename, lineno, message, comments, context in extract_from_dir(
            str(ROOT), METHODS, keywords=KEYWORDS,
            options_map={"webapp/templates/**.html": {"extensions": "jinja2.ext.i18n"}}):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def area_translations() -> dict[str, str]:
    merged: dict[str, str] = {}
    for path in sorted(AREAS.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for msgid, text in data.items():
            merged[str(msgid)] = str(text) if text is not None else ""
    return merged


def po_path(lang: str) -> Path:
    return TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po"


def update(lang: str = "en") -> Catalog:
    """Rebuild <lang>'s .po from the extracted msgids and the area files."""
    template = extract()
    known = area_translations()
    # A header of our own, not Babel's placeholder marked fuzzy: standard tools
    # (`pybabel compile`) skip a fuzzy catalogue and the site would be French.
    catalog = Catalog(project="rester-chez-soi", version="1", locale=lang, fuzzy=False,
                      copyright_holder="Rester chez soi", msgid_bugs_address="",
                      last_translator="Rester chez soi", language_team=f"Rester chez soi ({lang})",
                      header_comment=f"# {lang} translations of Rester chez soi, built by tools/i18n.py "
                                     f"from translations/areas/*.yaml.\n")
    for message in template:
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            plural = known.get(message.id[0] + "|" + message.id[1], "")
            string = tuple(plural.split("|")) if plural else ("", "")
        else:
            string = known.get(message.id, "")
        catalog.add(message.id, string, message.locations, auto_comments=message.auto_comments)
    path = po_path(lang)
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100, sort_output=True, omit_header=False)
    # Only the creation date would change on every set-up: keep the file
    # as it is then, so `make setup` leaves the working tree clean.
    if not path.exists() or _without_date(path.read_bytes()) != _without_date(buffer.getvalue()):
        path.write_bytes(buffer.getvalue())
    return catalog


def _without_date(po: bytes) -> bytes:
    return re.sub(rb'"POT-Creation-Date: [^"]*"', b"", po)


def compile_catalogues() -> None:
    for lang in TARGET_LANGUAGES:
        path = po_path(lang)
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=lang)
        with path.with_suffix(".mo").open("wb") as handle:
            write_mo(handle, catalog)


def missing(lang: str = "en") -> list[str]:
    """msgids of the code that have no translation in `lang`."""
    known = area_translations()
    gaps = []
    for message in extract():
        if not message.id:
            continue
        key = message.id if isinstance(message.id, str) else "|".join(message.id)
        if not known.get(key, "").strip():
            gaps.append(key)
    return gaps


def main(argv: list[str]) -> int:
    action = argv[1] if len(argv) > 1 else "all"
    if action in ("update", "all"):
        for lang in TARGET_LANGUAGES:
            update(lang)
    if action in ("compile", "all"):
        compile_catalogues()
    if action == "extract":
        for message in extract():
            if message.id:
                print(message.id if isinstance(message.id, str) else "|".join(message.id))
    if action in ("check", "all"):
        gaps = {lang: missing(lang) for lang in TARGET_LANGUAGES}
        for lang, ids in gaps.items():
            for msgid in ids:
                print(f"untranslated [{lang}]: {msgid}", file=sys.stderr)
        if any(gaps.values()):
            return 1 if action == "check" else 0
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
