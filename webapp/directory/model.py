"""The référentiel commun: communes, partner structures and social-work sectors.

Pure Python (no Flask): the triage engine, the bot's actions and the web pages
all read the same files through this module. Loading validates the data and
refuses it whole when a rule is broken, so a missing sector or an unsourced
phone number is caught at start-up, not in front of a household.
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import datetime as dt
import json
import pathlib
import re
from typing import Any, Iterable

import yaml

from .normalise import name_key, squeeze
from .phone import InvalidPhone, normalise_phone

STRUCTURE_TYPES = (
    "esd", "esd_antenne", "cdad", "point_justice", "fsl", "caf", "france_services",
    "banque_de_france", "ccapex", "prefecture", "departement", "tribunal",
    "social_landlord", "ccas", "action_logement", "dalo", "helpline",
)
SOCIAL_WORK_TYPES = ("esd", "esd_antenne")
CONTACT_FIELDS = ("address", "phone", "email", "website", "opening_hours")
LANGS = ("fr", "en")

# Orientation kinds of the triage API, and how each is answered here.
# A kind mapped to None has no entry in the directory (e.g. police: the
# emergency number is not a local structure), so nearest() returns None.
KIND_TO_ENTRY: dict[str, str | None] = {
    "cdad": "cdad-90",
    "point_justice": "point-justice-3039",
    "fsl": "fsl-90",
    "banque_de_france": "banque-de-france-belfort",
    "dalo": "dalo-commission-90",
    "action_logement": "action-logement",
    # SOS Loyers impayés answers tenants and landlords alike.
    "helpline": "sos-loyers-impayes",
    "ccapex": "ccapex-90",
    "prefecture": "prefecture-90",
    "tribunal": "tribunal-judiciaire-belfort",
    "departement": "departement-90",
    "police": None,
}
KINDS = ("social_worker", "caf", *KIND_TO_ENTRY)
# Paths under /annuaire/ that are pages, so no structure may take them as id.
RESERVED_IDS = frozenset({"mes-contacts", "secteurs"})

_STRUCTURE_KEYS = {
    "id", "type", "name", "role", "serves", "referral", "commune", "communes_served",
    "sources", "to_confirm", "provisional", "parent", "free_call", *CONTACT_FIELDS,
}
_INSEE = re.compile(r"^\d[\dAB]\d{3}$")
_FIVE_DIGITS = re.compile(r"\b(\d{5})\b")
_URL = re.compile(r"^https?://\S+$")


class DirectoryError(ValueError):
    """The content files break a rule of the référentiel; ``problems`` lists every one."""

    def __init__(self, problems: list[str]):
        super().__init__("invalid directory content:\n- " + "\n- ".join(problems))
        self.problems = problems


@dataclasses.dataclass(frozen=True)
class Commune:
    insee: str
    name: str
    postcodes: tuple[str, ...]
    epci_code: str
    epci_name: str
    population: int | None = None

    @functools.cached_property
    def key(self) -> str:
        return name_key(self.name)

    def as_dict(self) -> dict[str, Any]:
        return {
            "insee": self.insee,
            "name": self.name,
            "postcodes": list(self.postcodes),
            "epci": {"code": self.epci_code, "name": self.epci_name},
        }


@dataclasses.dataclass(frozen=True)
class Contact:
    """One contact detail, always with where it was read and when."""

    value: Any
    source: str
    verified: dt.date
    note: str | None = None
    # Set when a structure's own staff declared the value in the back office:
    # the source is then that declaration, not a public URL.
    declared_by: str | None = None

    @property
    def source_is_url(self) -> bool:
        return bool(_URL.match(self.source or ""))

    def text(self, lang: str) -> str:
        if isinstance(self.value, dict):
            return self.value.get(lang) or self.value["fr"]
        return str(self.value)


def tel_uri(phone: str) -> str:
    """tel: URI for a French number as printed ("03 84 36 70 00", "3039")."""
    digits = re.sub(r"\D", "", phone)
    if len(digits) == 10 and digits.startswith("0"):
        return "tel:+33" + digits[1:]
    return "tel:" + digits


@dataclasses.dataclass(frozen=True)
class Structure:
    id: str
    type: str
    name: dict[str, str]
    role: dict[str, str]
    serves: dict[str, str]
    referral: dict[str, str]
    commune: str | None
    communes_served: str | tuple[str, ...]
    contacts: dict[str, Contact | None]
    sources: tuple[str, ...]
    to_confirm: dict[str, str] | None = None
    provisional: bool = False
    parent: str | None = None
    # Set by Directory: the site's catchment comes from a provisional table.
    sector_provisional: bool = False
    # Date of the last change made by the structure's staff (None: files only).
    edited_on: dt.date | None = None
    # "Calling the phone number is free", sourced like a contact detail (value
    # True or False); None: not known to be free, so never said to be.
    free_call: Contact | None = None

    @property
    def last_updated(self) -> dt.date | None:
        """"Mis à jour le": the last staff edit, else the latest verification date of the files."""
        if self.edited_on is not None:
            return self.edited_on
        facts = [*self.contacts.values(), self.free_call]
        dates = [c.verified for c in facts if c is not None and isinstance(c.verified, dt.date)]
        return max(dates) if dates else None

    def text(self, field: str, lang: str) -> str | None:
        value = getattr(self, field)
        if value is None:
            return None
        return value.get(lang) or value["fr"]

    def contact(self, field: str) -> Contact | None:
        return self.contacts.get(field)

    @property
    def is_social_work_site(self) -> bool:
        return self.type in SOCIAL_WORK_TYPES

    @property
    def has_contact(self) -> bool:
        return any(c is not None for c in self.contacts.values())

    @property
    def is_free_call(self) -> bool:
        """The phone number is known, from a source, to cost the caller nothing."""
        return self.free_call is not None and self.free_call.value is True and self.contacts.get("phone") is not None

    @property
    def phone_uri(self) -> str | None:
        phone = self.contacts.get("phone")
        return tel_uri(phone.value) if phone else None

    def public_dict(self, lang: str = "fr") -> dict[str, Any]:
        """What the API, the triage engine and the bot show; unknown contacts are null."""
        contacts = {f: self.contacts.get(f) for f in CONTACT_FIELDS}
        return {
            "id": self.id,
            "type": self.type,
            "name": self.text("name", lang),
            "address": contacts["address"].text(lang) if contacts["address"] else None,
            "phone": contacts["phone"].text(lang) if contacts["phone"] else None,
            "phone_uri": self.phone_uri,
            "free_call": self.is_free_call,
            "email": contacts["email"].text(lang) if contacts["email"] else None,
            "url": contacts["website"].text(lang) if contacts["website"] else None,
            "opening_hours": contacts["opening_hours"].text(lang) if contacts["opening_hours"] else None,
            "role": self.text("role", lang),
            "serves": self.text("serves", lang),
            "referral": self.text("referral", lang),
            "commune": self.commune,
            "provisional": self.provisional,
            "sector_provisional": self.sector_provisional,
            "to_confirm": self.text("to_confirm", lang),
            "contact_sources": {
                # The agent who declared a value is kept in the back office, not published.
                f: {"source": "Déclaré par la structure" if c.declared_by else c.source,
                    "verified": c.verified.isoformat(), "declared_by_structure": bool(c.declared_by)}
                for f, c in [*contacts.items(), ("free_call", self.free_call)] if c is not None
            },
            "sources": list(self.sources),
            "updated_on": self.last_updated.isoformat() if self.last_updated else None,
        }


@dataclasses.dataclass(frozen=True)
class StructureEdits:
    """What a structure's staff changed: contact fields (None clears one), referral text, date."""

    contacts: dict[str, Contact | None]
    referral: dict[str, str] | None
    edited_on: dt.date | None


@dataclasses.dataclass
class SectorTable:
    provisional: bool
    derived_on: str | None
    sites: dict[str, str]  # insee -> structure id
    method: dict[str, Any] | None = None  # content of the method file, when present


class Directory:
    def __init__(self, communes: Iterable[Commune], structures: Iterable[Structure], sectors: SectorTable,
                 dataset: dict[str, Any] | None = None):
        self._communes = {c.insee: c for c in sorted(communes, key=lambda c: c.insee)}
        self.sectors = sectors
        # Every social-work site's catchment is the provisional table until the
        # Département publishes its map, whether or not the site itself is.
        self._structures = {
            s.id: dataclasses.replace(s, sector_provisional=sectors.provisional and s.communes_served == "sector")
            for s in structures
        }
        self.dataset = dataset or {}
        self._by_postcode: dict[str, list[Commune]] = {}
        for c in self._communes.values():
            for p in c.postcodes:
                self._by_postcode.setdefault(p, []).append(c)
        problems = self._validate()
        if problems:
            raise DirectoryError(problems)

    # ----------------------------------------------------------------- loading
    @classmethod
    def load(cls, content_dir: pathlib.Path | str) -> "Directory":
        content_dir = pathlib.Path(content_dir)
        problems: list[str] = []
        raw = json.loads((content_dir / "communes" / "communes-90.json").read_text(encoding="utf-8"))
        communes = [
            Commune(insee=c["insee"], name=c["name"], postcodes=tuple(c["postcodes"]),
                    epci_code=c["epci"]["code"], epci_name=c["epci"]["name"], population=c.get("population"))
            for c in raw["communes"]
        ]
        structures = []
        for path in sorted((content_dir / "structures").glob("*.yaml")):
            try:
                structures.append(_structure_from_yaml(path))
            except (KeyError, TypeError, ValueError, yaml.YAMLError) as exc:
                problems.append(f"{path.name}: {exc}")
        table = yaml.safe_load((content_dir / "sectors" / "social_work.yaml").read_text(encoding="utf-8"))
        method_path = content_dir / "sectors" / "social_work_method.yaml"
        sectors = SectorTable(
            provisional=bool(table.get("provisional", True)),
            derived_on=str(table.get("derived_on")) if table.get("derived_on") else None,
            sites={str(k): v for k, v in (table.get("sectors") or {}).items()},
            method=yaml.safe_load(method_path.read_text(encoding="utf-8")) if method_path.is_file() else None,
        )
        if problems:
            raise DirectoryError(problems)
        return cls(communes, structures, sectors, dataset=raw.get("dataset"))

    def _validate(self) -> list[str]:
        problems = []
        for s in self._structures.values():
            if s.id in RESERVED_IDS:
                problems.append(f"{s.id}: this id is a page of the directory, choose another")
            if s.type not in STRUCTURE_TYPES:
                problems.append(f"{s.id}: unknown type {s.type!r}")
            for field in ("name", "role", "serves", "referral"):
                value = getattr(s, field)
                if not isinstance(value, dict) or any(not value.get(lang) for lang in LANGS):
                    problems.append(f"{s.id}: {field} needs both fr and en")
            for field, contact in [*s.contacts.items(), ("free_call", s.free_call)]:
                if contact is None:
                    continue
                if not contact.declared_by and not contact.source_is_url:
                    problems.append(f"{s.id}: {field} has no source URL")
                if not isinstance(contact.verified, dt.date):
                    problems.append(f"{s.id}: {field} has no verified date")
            if s.free_call is not None:
                if not isinstance(s.free_call.value, bool):
                    problems.append(f"{s.id}: free_call value must be true or false")
                if s.contacts.get("phone") is None:
                    problems.append(f"{s.id}: free_call says something of a phone number it does not have")
            if s.commune is not None and s.commune not in self._communes:
                problems.append(f"{s.id}: commune {s.commune} is not in the département")
            if isinstance(s.communes_served, tuple):
                unknown = [c for c in s.communes_served if c not in self._communes]
                if unknown:
                    problems.append(f"{s.id}: communes_served has unknown codes {unknown}")
            elif s.communes_served not in ("all", "national", "sector"):
                problems.append(f"{s.id}: communes_served must be all, national, sector or a list")
            if s.parent is not None and s.parent not in self._structures:
                problems.append(f"{s.id}: parent {s.parent} does not exist")
        for insee in self._communes:
            site = self.sectors.sites.get(insee)
            if site is None:
                problems.append(f"commune {insee} has no social-work site")
            elif site not in self._structures or not self._structures[site].is_social_work_site:
                problems.append(f"commune {insee}: sector site {site} is not an ESD or antenne")
        for insee in self.sectors.sites:
            if insee not in self._communes:
                problems.append(f"sector table names unknown commune {insee}")
        for kind, entry in KIND_TO_ENTRY.items():
            if entry is not None and entry not in self._structures:
                problems.append(f"kind {kind} points to missing structure {entry}")
        return problems

    def with_edits(self, edits: dict[str, "StructureEdits"]) -> "Directory":
        """A new directory where the staff edits replace the files' values (files stay untouched)."""
        structures = []
        for s in self._structures.values():
            e = edits.get(s.id)
            if e is None:
                structures.append(s)
                continue
            contacts = {**s.contacts, **e.contacts}
            structures.append(dataclasses.replace(
                s,
                contacts=contacts,
                referral={**s.referral, **e.referral} if e.referral else s.referral,
                edited_on=e.edited_on,
                # The files' "free call" was checked for the files' number: a
                # number staff changed (or removed) is not known to be free.
                free_call=s.free_call if same_number(s.contact("phone"), contacts.get("phone")) else None,
            ))
        return Directory(self._communes.values(), structures, self.sectors, dataset=self.dataset)

    # ---------------------------------------------------------------- communes
    def commune(self, insee: str) -> Commune | None:
        return self._communes.get(str(insee).strip().upper())

    def communes(self) -> list[Commune]:
        return list(self._communes.values())

    def find_communes(self, query: str) -> list[Commune]:
        """Communes matching a postcode, an INSEE code or a name (best matches first).

        A postcode shared by several communes returns all of them; a name is
        compared without accents, case, hyphens or apostrophes, and "St" counts
        as "Saint". "90100 Delle" narrows the name to that postcode.
        """
        query = (query or "").strip()
        if not query:
            return []
        codes = _FIVE_DIGITS.findall(query)
        rest = _FIVE_DIGITS.sub(" ", query)
        key = name_key(rest)
        found: list[Commune] = []
        if codes:
            for code in codes:
                for c in self._by_postcode.get(code, []):
                    if c not in found:
                        found.append(c)
                by_insee = self._communes.get(code)
                if by_insee is not None and by_insee not in found:
                    found.append(by_insee)
            if not key:
                return found
            pool = found
        else:
            pool = list(self._communes.values())
        if not key:
            return []
        return _rank_by_name(pool, key)

    # -------------------------------------------------------------- structures
    def structure(self, structure_id: str) -> Structure | None:
        return self._structures.get(structure_id)

    def structures(self, type: str | None = None, commune: str | None = None) -> list[Structure]:
        result = []
        for s in self._structures.values():
            if type is not None and s.type != type:
                continue
            if commune is not None and not self.serves(s, commune):
                continue
            result.append(s)
        order = {t: i for i, t in enumerate(STRUCTURE_TYPES)}
        return sorted(result, key=lambda s: (order.get(s.type, 99), name_key(s.name["fr"])))

    def serves(self, structure: Structure, insee: str) -> bool:
        if insee not in self._communes:
            return False
        served = structure.communes_served
        if served in ("all", "national"):
            return True
        if served == "sector":
            return self.sectors.sites.get(insee) == structure.id
        return insee in served

    def sector_site(self, insee: str) -> Structure | None:
        site = self.sectors.sites.get(insee)
        return self._structures.get(site) if site else None

    def sector_communes(self, structure_id: str) -> list[Commune]:
        return [self._communes[i] for i, s in sorted(self.sectors.sites.items()) if s == structure_id]

    def nearest(self, insee: str, kind: str) -> Structure | None:
        """The structure a household of this commune should turn to for an orientation kind.

        Raises ValueError for a kind the triage API does not know; returns None
        for an unknown commune or a kind without a directory entry (police).
        """
        if kind not in KINDS:
            raise ValueError(f"unknown kind {kind!r}")
        commune = self.commune(insee)
        if commune is None:
            return None
        if kind == "social_worker":
            return self.sector_site(commune.insee)
        if kind == "caf":
            return self._nearest_caf(commune)
        entry = KIND_TO_ENTRY[kind]
        return self._structures.get(entry) if entry else None

    def _nearest_caf(self, commune: Commune) -> Structure | None:
        # No coordinates in the communes dataset: "nearest" is the CAF site in
        # the same commune, else one sharing the postcode (same delivery
        # office), else the CAF itself, whose page lists every site.
        sites = [s for s in self._structures.values() if s.type == "caf" and s.parent]
        same_commune = [s for s in sites if s.commune == commune.insee]
        if same_commune:
            return same_commune[0]
        for s in sites:
            site_commune = self._communes.get(s.commune or "")
            if site_commune and set(site_commune.postcodes) & set(commune.postcodes):
                return s
        return self._structures.get("caf-90")


def _rank_by_name(pool: list[Commune], key: str) -> list[Commune]:
    squeezed = squeeze(key)
    ranked = []
    for c in pool:
        ck = c.key
        if ck == key or squeeze(ck) == squeezed:
            rank = 0
        elif ck.startswith(key) or squeeze(ck).startswith(squeezed):
            rank = 1
        elif any(w.startswith(key) for w in _suffixes(ck)):
            rank = 2
        elif len(squeezed) >= 4 and squeezed in squeeze(ck):
            # Not 3 letters: "moi" typed to the chat's commune question was
            # "Commune : Charmois", and a wrong sector of social workers.
            rank = 3
        else:
            continue
        ranked.append((rank, ck, c))
    if not ranked and len(squeezed) >= 5:
        # Spelled as heard ("giromagni", "danjoutain"): the closest names,
        # said back by whoever asks, never taken silently.
        by_squeezed = {squeeze(c.key): c for c in pool}
        close = difflib.get_close_matches(squeezed, list(by_squeezed), n=3, cutoff=_CLOSE_ENOUGH)
        return [by_squeezed[k] for k in close]
    return [c for _, _, c in sorted(ranked, key=lambda r: (r[0], r[1]))]


# How alike a misspelled name and a commune's must be (difflib's ratio).
_CLOSE_ENOUGH = 0.8


def _suffixes(key: str) -> list[str]:
    words = key.split(" ")
    return [" ".join(words[i:]) for i in range(1, len(words))]


def _text_pair(data: dict, field: str, path: pathlib.Path, optional: bool = False) -> dict[str, str] | None:
    value = data.get(field)
    if value is None and optional:
        return None
    if not isinstance(value, dict):
        raise ValueError(f"{field} must be a {{fr, en}} mapping")
    return {lang: " ".join(str(value.get(lang) or "").split()) for lang in LANGS}


def _contact(raw: Any, field: str) -> Contact | None:
    if raw is None:
        return None
    if not isinstance(raw, dict) or "value" not in raw:
        raise ValueError(f"{field} must be null or {{value, source, verified}}")
    value = raw["value"]
    if isinstance(value, dict):
        value = {lang: " ".join(str(value.get(lang) or "").split()) for lang in LANGS}
    elif value is None or str(value).strip() == "":
        raise ValueError(f"{field} has an empty value: use null for an unknown detail")
    else:
        value = str(value).strip()
    verified = raw.get("verified")
    if isinstance(verified, str):
        verified = dt.date.fromisoformat(verified)
    return Contact(value=value, source=str(raw.get("source") or ""), verified=verified, note=raw.get("note"))


def _free_call(raw: Any) -> Contact | None:
    if raw is None:
        return None
    if not isinstance(raw, dict) or "value" not in raw:
        raise ValueError("free_call must be null or {value: true, source, verified}")
    verified = raw.get("verified")
    if isinstance(verified, str):
        verified = dt.date.fromisoformat(verified)
    # The value is kept as written: _validate refuses anything but a boolean.
    return Contact(value=raw["value"], source=str(raw.get("source") or ""), verified=verified, note=raw.get("note"))


def same_number(a: Contact | None, b: Contact | None) -> bool:
    """Two phone contacts hold the same number, however it is spaced ("34 14", "3414")."""
    if a is None or b is None:
        return False

    def printed(contact: Contact) -> str:
        try:
            return normalise_phone(str(contact.value))
        except InvalidPhone:
            return " ".join(str(contact.value).split())

    return printed(a) == printed(b)


def _structure_from_yaml(path: pathlib.Path) -> Structure:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError("not a mapping")
    unknown = set(data) - _STRUCTURE_KEYS
    if unknown:
        # A misspelt "phnoe:" would otherwise vanish without its source check.
        raise ValueError(f"unknown keys {sorted(unknown)}")
    if data.get("id") != path.stem:
        raise ValueError(f"id {data.get('id')!r} differs from the file name")
    served = data.get("communes_served")
    if isinstance(served, list):
        served = tuple(str(c) for c in served)
    commune = data.get("commune")
    if commune is not None and not _INSEE.match(str(commune)):
        raise ValueError(f"commune {commune!r} is not an INSEE code")
    return Structure(
        id=data["id"],
        type=data["type"],
        name=_text_pair(data, "name", path),
        role=_text_pair(data, "role", path),
        serves=_text_pair(data, "serves", path),
        referral=_text_pair(data, "referral", path),
        commune=str(commune) if commune is not None else None,
        communes_served=served,
        contacts={f: _contact(data.get(f), f) for f in CONTACT_FIELDS},
        sources=tuple(data.get("sources") or ()),
        to_confirm=_text_pair(data, "to_confirm", path, optional=True),
        provisional=bool(data.get("provisional", False)),
        parent=data.get("parent"),
        free_call=_free_call(data.get("free_call")),
    )
