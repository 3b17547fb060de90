"""A throwaway PostgreSQL server for the tests, when PostgreSQL is installed.

Uses $TEST_POSTGRES_URL when set; otherwise starts a private cluster with the
local initdb/pg_ctl on a Unix socket in a temporary folder, and removes it at
the end. When neither is available the PostgreSQL variants are skipped.
"""
from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import uuid
from contextlib import contextmanager
from pathlib import Path


def _pg_bin() -> Path | None:
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), reverse=True)
    return Path(candidates[0]).parent if candidates else None


def _as_postgres(cmd: list[str]) -> list[str]:
    # initdb refuses to run as root: drop to the postgres system user.
    if os.geteuid() == 0 and shutil.which("runuser"):
        return ["runuser", "-u", "postgres", "--", *cmd]
    return cmd


@contextmanager
def postgres_server(fsync: bool = False):
    """Yield a SQLAlchemy URL of an empty database, or None if unavailable.

    fsync is off for the tests (speed); benchmarks turn it on, as in production.
    """
    url = os.environ.get("TEST_POSTGRES_URL")
    if url:
        yield url
        return
    bindir = _pg_bin()
    if bindir is None:
        yield None
        return
    base = Path(tempfile.mkdtemp(prefix="rcs-pg-"))
    os.chmod(base, 0o777)
    data, sock = base / "data", base / "sock"
    sock.mkdir()
    os.chmod(sock, 0o777)
    if os.geteuid() == 0:
        shutil.chown(base, "postgres")
        shutil.chown(sock, "postgres")
    try:
        subprocess.run(_as_postgres([str(bindir / "initdb"), "-D", str(data), "-A", "trust",
                                     "-U", "postgres", "--no-sync"]),
                       check=True, capture_output=True)
        subprocess.run(_as_postgres([str(bindir / "pg_ctl"), "-D", str(data), "-w", "-l",
                                     str(base / "log"), "-o",
                                     f"-k {sock} -c listen_addresses='' -c fsync={'on' if fsync else 'off'}", "start"]),
                       check=True, capture_output=True)
    except (subprocess.CalledProcessError, OSError):
        shutil.rmtree(base, ignore_errors=True)
        yield None
        return
    try:
        yield f"postgresql+psycopg://postgres@/postgres?host={sock}"
    finally:
        subprocess.run(_as_postgres([str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate",
                                     "stop"]), capture_output=True)
        shutil.rmtree(base, ignore_errors=True)


def fresh_database(server_url: str) -> str:
    """Create a new empty database on the server and return its URL."""
    import sqlalchemy as sa

    name = "t_" + uuid.uuid4().hex[:12]
    engine = sa.create_engine(server_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return server_url.replace("/postgres?", f"/{name}?", 1)
