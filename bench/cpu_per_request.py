"""CPU time per request, in process, for hello-world and the real app's pages.

The HTTP benchmark (http_bench.py) is the reference, but on a machine shared
with other jobs its throughput figures swing with the background load. CPU
time (time.process_time) of the WSGI call does not count time spent waiting
for the CPU, so this ratio stays stable on a busy machine and says where the
cost is: the app itself, not gunicorn or the network.

    .venv/bin/python bench/cpu_per_request.py [PATH ...] [--requests 2000]
"""
from __future__ import annotations

import argparse
import os
import secrets
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))
sys.path.insert(0, str(REPO_ROOT / "bench"))


def cpu_ms_per_request(client, path: str, requests: int, repeats: int = 3) -> float:
    """Median over `repeats` of CPU milliseconds per GET, after a warm-up."""
    for _ in range(min(200, requests)):
        client.get(path)
    samples = []
    for _ in range(repeats):
        start = time.process_time()
        for _ in range(requests):
            response = client.get(path)
        samples.append((time.process_time() - start) / requests * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code}")
    return statistics.median(samples)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", help="pages of the real app (default: / and the first content page)")
    parser.add_argument("--requests", type=int, default=2000)
    args = parser.parse_args(argv)

    data_dir = Path(tempfile.mkdtemp(prefix="rcs-cpu-bench-"))
    os.environ.update(
        {
            "RCS_ENV": "production",
            "SECRET_KEY": secrets.token_hex(32),
            "DATABASE_URL": f"sqlite:///{data_dir / 'bench.sqlite3'}",
            "SEARCH_INDEX_PATH": str(data_dir / "search.sqlite3"),
        }
    )
    try:
        from hello_app import app as hello
        from http_bench import default_content_path
        from webapp import create_app, db

        db.upgrade(os.environ["DATABASE_URL"])
        real = create_app()
        paths = args.paths or [default_content_path(), "/"]
        hello_ms = cpu_ms_per_request(hello.test_client(), "/", args.requests)
        print(f"{'page':<40} {'CPU ms/request':>15} {'hello/page':>11}")
        print(f"{'hello-world /':<40} {hello_ms:>15.3f} {1:>11.3f}")
        client = real.test_client()
        for path in paths:
            page_ms = cpu_ms_per_request(client, path, args.requests)
            print(f"{path:<40} {page_ms:>15.3f} {hello_ms / page_ms:>11.3f}")
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
