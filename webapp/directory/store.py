"""The directory in the database: the files' values imported as a seed, the staff's edits, their history.

The YAML files stay the seed and the record of what was verified from public
sources. Each editable field of each structure is one row tagged with its
origin: "file" rows follow the files at every import, "staff" rows were
declared by the structure itself and are never overwritten by an import. The
app serves the files with the staff rows laid over them (`live_directory`);
the id of the last history row is the version every worker checks.
"""
from __future__ import annotations

import datetime as dt
import logging
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Flask, current_app, g, has_app_context
from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text, func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Mapped, Session, mapped_column

from webapp.db import Base
from webapp.db_direct import direct_connections
from webapp.referrals.models import UTCDateTime, utcnow

from .model import CONTACT_FIELDS, Contact, Directory, Structure, StructureEdits

log = logging.getLogger(__name__)

# What a structure's staff may change; the rest (name, role, sector) is the
# Département's and the CDAD's to decide, through the files.
EDITABLE_FIELDS = (*CONTACT_FIELDS, "referral")
ORIGIN_FILE = "file"
ORIGIN_STAFF = "staff"
# Dates shown to households are the Territoire de Belfort's calendar days.
LOCAL_TZ = ZoneInfo("Europe/Paris")
# Kept in French: it is the recorded source of the value, like the files' URLs.
DECLARED_SOURCE = "Déclaré par la structure ({who})"


class DirectoryStructure(Base):
    __tablename__ = "directory_structure"

    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    type: Mapped[str] = mapped_column(String(40))
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Last change by the structure's staff; None while only the files speak.
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    edited_by: Mapped[str | None] = mapped_column(String(254))


class DirectoryField(Base):
    """The current value of one editable field of one structure, with where it comes from."""

    __tablename__ = "directory_field"

    structure_id: Mapped[str] = mapped_column(ForeignKey("directory_structure.id"), primary_key=True)
    field: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[object | None] = mapped_column(JSON)
    source: Mapped[str | None] = mapped_column(Text)
    verified: Mapped[dt.date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(String(80))
    origin: Mapped[str] = mapped_column(String(8), index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by: Mapped[str | None] = mapped_column(String(254))


class DirectoryChange(Base):
    """One field changed by staff: who, when, the value before and after."""

    __tablename__ = "directory_change"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    structure_id: Mapped[str] = mapped_column(String(80), index=True)
    field: Mapped[str] = mapped_column(String(40))
    old_value: Mapped[object | None] = mapped_column(JSON)
    new_value: Mapped[object | None] = mapped_column(JSON)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    staff_email: Mapped[str | None] = mapped_column(String(254))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


# ------------------------------------------------------------------ values
def field_value(structure: Structure, field: str):
    """The JSON-able value of an editable field (None when unknown)."""
    if field == "referral":
        return dict(structure.referral)
    contact = structure.contact(field)
    return contact.value if contact is not None else None


def _file_row_values(structure: Structure, field: str) -> dict:
    if field == "referral":
        return {"value": dict(structure.referral), "source": None, "verified": None, "note": None}
    contact = structure.contact(field)
    if contact is None:
        return {"value": None, "source": None, "verified": None, "note": None}
    return {"value": contact.value, "source": contact.source, "verified": contact.verified, "note": contact.note}


@dataclass
class ImportReport:
    structures_added: int = 0
    fields_added: int = 0
    fields_updated: int = 0
    staff_fields_kept: int = 0


def import_structures(db: Session, directory: Directory) -> ImportReport:
    """Write the files' structures into the database; run it as often as you like.

    New structures and new fields are added, fields still from the files follow
    the files, and a field the structure's staff edited is left as they set it.
    """
    report = ImportReport()
    existing = {s.id: s for s in db.scalars(select(DirectoryStructure))}
    rows = {(r.structure_id, r.field): r for r in db.scalars(select(DirectoryField))}
    now = utcnow()
    for structure in directory.structures():
        if structure.id not in existing:
            db.add(DirectoryStructure(id=structure.id, type=structure.type, imported_at=now))
            report.structures_added += 1
        else:
            existing[structure.id].type = structure.type
        db.flush()
        for field in EDITABLE_FIELDS:
            values = _file_row_values(structure, field)
            row = rows.get((structure.id, field))
            if row is None:
                db.add(DirectoryField(structure_id=structure.id, field=field, origin=ORIGIN_FILE,
                                      updated_at=now, **values))
                report.fields_added += 1
            elif row.origin == ORIGIN_STAFF:
                report.staff_fields_kept += 1
            elif any(getattr(row, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(row, k, v)
                row.updated_at = now
                report.fields_updated += 1
    db.commit()
    return report


def load_edits(db_or_conn) -> dict[str, StructureEdits]:
    """Every structure's staff-declared fields, ready for `Directory.with_edits`."""
    edited_on = {sid: at for sid, at in db_or_conn.execute(
        select(DirectoryStructure.id, DirectoryStructure.edited_at).where(DirectoryStructure.edited_at.is_not(None)))}
    contacts: dict[str, dict[str, Contact | None]] = {}
    referrals: dict[str, dict] = {}
    rows = db_or_conn.execute(select(DirectoryField.structure_id, DirectoryField.field, DirectoryField.value,
                                     DirectoryField.source, DirectoryField.verified, DirectoryField.note,
                                     DirectoryField.updated_by)
                              .where(DirectoryField.origin == ORIGIN_STAFF))
    for sid, field, value, source, verified, note, updated_by in rows:
        if field == "referral":
            if isinstance(value, dict) and value.get("fr"):
                referrals[sid] = {"fr": value["fr"], "en": value.get("en") or value["fr"]}
            continue
        if field not in CONTACT_FIELDS:
            continue
        contacts.setdefault(sid, {})[field] = None if value is None else Contact(
            value=value, source=source or "", verified=verified, note=note, declared_by=updated_by or "?")
    return {
        sid: StructureEdits(contacts=contacts.get(sid, {}), referral=referrals.get(sid),
                            edited_on=edited_on[sid].astimezone(LOCAL_TZ).date() if sid in edited_on else None)
        for sid in set(contacts) | set(referrals) | set(edited_on)
    }


def save_edit(db: Session, structure: Structure, new_values: dict, staff) -> list[str]:
    """Record the fields that differ from what is served now; return their names (commit is the caller's).

    Each change gets a history row; contact values get the declaration as
    their source and today as their verification date.
    """
    from webapp.staff import audit

    changed = []
    now = utcnow()
    who = staff.email
    entry = db.get(DirectoryStructure, structure.id)
    if entry is None:
        # The import has not run on this database yet: the edit still lands.
        entry = DirectoryStructure(id=structure.id, type=structure.type, imported_at=now)
        db.add(entry)
        db.flush()
    for field in EDITABLE_FIELDS:
        if field not in new_values:
            continue
        old, new = field_value(structure, field), new_values[field]
        if old == new:
            continue
        row = db.get(DirectoryField, (structure.id, field))
        if row is None:
            row = DirectoryField(structure_id=structure.id, field=field)
            db.add(row)
        row.value = new
        row.origin = ORIGIN_STAFF
        row.source = None if field == "referral" or new is None else DECLARED_SOURCE.format(who=who)
        row.verified = None if field == "referral" or new is None else now.astimezone(LOCAL_TZ).date()
        row.note = None
        row.updated_at = now
        row.updated_by = who
        db.add(DirectoryChange(structure_id=structure.id, field=field, old_value=old, new_value=new,
                               staff_id=staff.id, staff_email=who, at=now))
        audit.record(db, "structure_edit", staff=staff, detail=f"{structure.id} {field}")
        changed.append(field)
    if changed:
        entry.edited_at = now
        entry.edited_by = who
    return changed


def history(db: Session, structure_id: str) -> list[DirectoryChange]:
    return list(db.scalars(select(DirectoryChange).where(DirectoryChange.structure_id == structure_id)
                           .order_by(DirectoryChange.at.desc(), DirectoryChange.id.desc())))


# ------------------------------------------------------------- live view
class LiveDirectory:
    """The files' directory with the database edits over it, rebuilt when the version moves.

    Every worker process holds one; the version (id of the last change) costs
    one indexed query per request, so an edit made through any worker is served
    by all of them on their next request.
    """

    def __init__(self, base: Directory):
        self.base = base
        self._state: tuple[object, Directory] = (object(), base)
        self._lock = threading.Lock()
        self._warned = False

    def get(self, app: Flask) -> Directory:
        in_this_app = has_app_context() and current_app._get_current_object() is app
        if in_this_app:
            cached = g.get("_live_directory")
            if cached is not None:
                return cached
        directory = self._refresh(app)
        if in_this_app:
            g._live_directory = directory
        return directory

    def _refresh(self, app: Flask) -> Directory:
        engine = app.extensions.get("db_engine")
        if engine is None:
            return self.base
        direct = direct_connections(app)
        try:
            version = self._version(app, engine, direct)
            if version == self._state[0]:
                return self._state[1]
            with self._lock:
                if version == self._state[0]:
                    return self._state[1]
                edits = {}
                if version is not None:
                    with _connection(app, engine) as conn:
                        edits = load_edits(conn)
                directory = self.base.with_edits(edits) if edits else self.base
                self._state = (version, directory)
                return directory
        except (SQLAlchemyError, *((direct.errors,) if direct else ())) as exc:
            # A database not yet migrated still serves the files, loudly.
            if not self._warned:
                log.warning("directory edits unavailable, serving the files only: %s", exc)
                self._warned = True
            return self.base

    def version_of(self, directory: Directory) -> object | None:
        """The version (id of the last change) that `directory` was built for, if it
        is the one this worker serves now; None otherwise (an edit landed since)."""
        version, served = self._state
        return version if served is directory else None

    @staticmethod
    def _version(app: Flask, engine, direct) -> int | None:
        """The id of the last change, asked on every request that shows the directory.

        One autocommit statement on a connection kept for it (webapp/db_direct.py):
        through the request's ORM session it took a transaction and a
        rollback on PostgreSQL (a quarter of the chat page's CPU), and on
        SQLite opening the file (two thirds of a cached content page's).
        """
        if direct is not None:
            return direct.scalar(_VERSION_SQL)
        with _connection(app, engine) as conn:
            return conn.execute(select(func.max(DirectoryChange.id))).scalar()


_VERSION_SQL = f"SELECT max(id) FROM {DirectoryChange.__tablename__}"


@contextmanager
def _connection(app: Flask, engine):
    """The request's own connection when there is one, else a short-lived one.

    A request that already holds a pooled connection must not wait for a
    second one: under load every thread would hold one and wait for another.
    """
    if has_app_context() and current_app._get_current_object() is app:
        from webapp.db import get_session

        session = get_session()
        try:
            yield session.connection()
        except SQLAlchemyError:
            # Leave the request's transaction usable for what follows.
            session.rollback()
            raise
        return
    with engine.connect() as conn:
        yield conn


def forget_request_copy() -> None:
    """After committing an edit: the rest of this request reads the new version."""
    if has_app_context():
        g.pop("_live_directory", None)
