"""Compare the real app's throughput with a Flask hello-world under identical gunicorn settings.

Usage (from the repository root):

    .venv/bin/python bench/http_bench.py [--content-path /infos/<slug>] [--rounds 3]

Both apps are served by gunicorn with the same workers, worker class, threads
and bind scheme, and loaded by wrk with the same connections and duration
after a warm-up. Only one of them is under load at a time, so that they never
compete for the machine's cores; in each round hello-world, the content page
and the home page are measured back to back, and the ratio reported is the
median of the rounds' ratios. The content page must be at least half as fast
as hello-world (issue 2); `--check` turns a missed target into exit code 1.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import secrets
import shutil
import signal
import statistics
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = REPO_ROOT / "bench"
WRK_SCRIPT = BENCH_DIR / "wrk_report.lua"
TARGET_RATIO = 0.5


@dataclass
class Measure:
    label: str
    url: str
    requests: int
    seconds: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    bytes_per_response: float
    server_cpu_s: float = 0.0

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def server_cpu_ms_per_request(self) -> float:
        return self.server_cpu_s * 1000 / self.requests if self.requests else 0.0


class BenchError(RuntimeError):
    """The benchmark itself is invalid (server down, error responses, no wrk)."""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def production_env(data_dir: Path) -> dict[str, str]:
    """Environment for a production-like app: secret set, debug off, throwaway data dir."""
    env = dict(os.environ)
    env.update(
        {
            "RCS_ENV": "production",
            "SECRET_KEY": secrets.token_hex(32),
            "FLASK_DEBUG": "0",
            # Kept out of instance/: the bench must never touch real records.
            "DATABASE_URL": f"sqlite:///{data_dir / 'bench.sqlite3'}",
            "SEARCH_INDEX_PATH": str(data_dir / "search.sqlite3"),
            "PYTHONDONTWRITEBYTECODE": "1",
        }
    )
    return env


def prepare_real_app(env: dict[str, str]) -> None:
    """Do what `make setup` does in production: migrate the database, build the search index."""
    for step in (["db", "upgrade"], ["content", "index"]):
        completed = subprocess.run(
            [sys.executable, "-m", "flask", "--app", "webapp:create_app", *step],
            cwd=REPO_ROOT, env=env, capture_output=True, text=True, check=False,
        )
        if completed.returncode != 0:
            raise BenchError(f"flask {' '.join(step)} failed:\n{completed.stdout}{completed.stderr}")


class GunicornServer:
    """One gunicorn process tree serving `app_spec`, started and stopped by its pid."""

    def __init__(self, app_spec: str, args: argparse.Namespace, env: dict[str, str],
                 pythonpath: Path | None = None):
        self.app_spec = app_spec
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.log = tempfile.NamedTemporaryFile(prefix="rcs-gunicorn-", suffix=".log", delete=False)
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(args.workers),
            "--worker-class",
            args.worker_class,
            "--threads",
            str(args.threads),
            "--log-level",
            "warning",
            "--chdir",
            str(REPO_ROOT),
        ]
        if pythonpath is not None:
            command += ["--pythonpath", str(pythonpath)]
        command.append(app_spec)
        self.command = command
        self.process = subprocess.Popen(
            command,
            cwd=REPO_ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    @property
    def pid(self) -> int:
        return self.process.pid

    def wait_ready(self, path: str, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        last_error = ""
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BenchError(f"gunicorn for {self.app_spec} exited early:\n{self.log_text()}")
            try:
                with urllib.request.urlopen(self.base_url + path, timeout=5) as response:
                    if response.status == 200:
                        return
                    last_error = f"HTTP {response.status}"
            except urllib.error.HTTPError as error:
                # A 404/500 will not fix itself: stop now with the reason.
                raise BenchError(f"{self.base_url}{path} answered HTTP {error.code}; choose an existing page") from error
            except OSError as error:
                last_error = str(error)
            time.sleep(0.2)
        raise BenchError(f"{self.app_spec} not ready after {timeout}s ({last_error}):\n{self.log_text()}")

    def log_text(self) -> str:
        self.log.flush()
        return Path(self.log.name).read_text(errors="replace")[-4000:]

    def stop(self) -> None:
        if self.process.poll() is None:
            # SIGTERM to the master only: gunicorn stops its own workers gracefully.
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=5)
        self.log.close()
        Path(self.log.name).unlink(missing_ok=True)

    def __enter__(self) -> "GunicornServer":
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def run_wrk(url: str, seconds: float, args: argparse.Namespace) -> dict:
    command = [
        args.wrk,
        f"--threads={args.wrk_threads}",
        f"--connections={args.connections}",
        f"--duration={max(1, round(seconds))}s",
        "--timeout=10s",
        f"--script={WRK_SCRIPT}",
        url,
    ]
    completed = subprocess.run(command, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        raise BenchError(f"wrk failed ({completed.returncode}): {completed.stderr or completed.stdout}")
    report_lines = [line for line in completed.stdout.splitlines() if line.startswith("{")]
    if not report_lines:
        raise BenchError(f"wrk printed no report:\n{completed.stdout}")
    return json.loads(report_lines[-1])


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def process_tree_cpu_seconds(root_pid: int) -> float:
    """User + system CPU time of a process and its children (gunicorn master and workers)."""
    stats: dict[int, tuple[int, float]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            raw = (entry / "stat").read_text()
        except OSError:
            continue  # the process ended while we looked
        # The command name is in parentheses and may hold spaces: split after it.
        fields = raw[raw.rindex(")") + 2:].split()
        parent, utime, stime = int(fields[1]), int(fields[11]), int(fields[12])
        stats[int(entry.name)] = (parent, (utime + stime) / CLOCK_TICKS)
    tree, total, changed = {root_pid}, 0.0, True
    while changed:
        changed = False
        for pid, (parent, _) in stats.items():
            if parent in tree and pid not in tree:
                tree.add(pid)
                changed = True
    for pid in tree:
        total += stats.get(pid, (0, 0.0))[1]
    return total


def measure(label: str, url: str, args: argparse.Namespace, warm_up: bool = True,
            server_pid: int | None = None) -> Measure:
    """One wrk run; with `server_pid`, also the server's CPU time, which waiting for a core does not inflate."""
    if warm_up:
        run_wrk(url, args.warmup, args)
    cpu_before = process_tree_cpu_seconds(server_pid) if server_pid else 0.0
    report = run_wrk(url, args.duration, args)
    cpu_used = process_tree_cpu_seconds(server_pid) - cpu_before if server_pid else 0.0
    errors = {k: v for k, v in report.items() if k.startswith("errors_") and v}
    if report["errors_status"] or report["errors_connect"]:
        raise BenchError(f"{label}: {url} gave errors during the run: {errors}")
    return Measure(
        label=label,
        url=url,
        requests=report["requests"],
        seconds=report["duration_us"] / 1e6,
        p50_ms=report["p50_us"] / 1000,
        p95_ms=report["p95_us"] / 1000,
        p99_ms=report["p99_us"] / 1000,
        bytes_per_response=report["bytes"] / report["requests"] if report["requests"] else 0.0,
        server_cpu_s=cpu_used,
    )


def default_content_path() -> str:
    """The first page of the French listing: a real content page, whatever the content is."""
    sys.path.insert(0, str(REPO_ROOT))
    from webapp.config import Config  # noqa: E402  (needs the repository on sys.path)
    from webapp.content.pages import ContentIndex  # noqa: E402

    config = Config.from_env()
    listing = ContentIndex(Path(config.CONTENT_DIR), tuple(config.LANGUAGES)).listing("fr")
    if not listing:
        raise BenchError("no content page found; pass --content-path")
    return f"/infos/{listing[0].slug}"


def median_measure(runs: list[Measure]) -> Measure:
    """Median by throughput: one noisy round on a shared machine must not decide the result."""
    ordered = sorted(runs, key=lambda m: m.rps)
    return ordered[len(ordered) // 2]


def paired_ratio(pages: list[Measure], baselines: list[Measure]) -> float:
    """Median over rounds of page/hello throughput, each pair measured back to back."""
    ratios = [p.rps / b.rps for p, b in zip(pages, baselines) if b.rps]
    return statistics.median(ratios) if ratios else 0.0


def median_cpu_ms(runs: list[Measure]) -> float:
    return statistics.median(m.server_cpu_ms_per_request for m in runs) if runs else 0.0


def machine_description() -> dict[str, str]:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                ram = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    return {
        "nproc": str(os.cpu_count()),
        "cpu": cpu,
        "ram": ram,
        "python": platform.python_version(),
        "kernel": platform.release(),
        "load_avg_before": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--content-path", help="content page to measure (default: first page of the content index)")
    parser.add_argument("--duration", type=float, default=6, help="seconds of measured load per URL and round (default 6)")
    parser.add_argument("--warmup", type=float, default=3, help="seconds of unmeasured load per URL, first round only (default 3)")
    parser.add_argument("--rounds", type=int, default=5, help="measure hello/content/home this many times, report medians (default 5)")
    parser.add_argument("--connections", type=int, default=8, help="wrk concurrent connections (default 8)")
    parser.add_argument("--wrk-threads", type=int, default=1, help="wrk threads (default 1: leaves cores to the server)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers for both apps (default 2)")
    parser.add_argument("--worker-class", default="gthread", help="gunicorn worker class for both apps (default gthread)")
    parser.add_argument("--threads", type=int, default=2, help="gunicorn threads per worker (default 2)")
    parser.add_argument("--app", default="webapp:create_app()", help="gunicorn spec of the real app")
    parser.add_argument(
        "--json",
        type=Path,
        default=BENCH_DIR / "results" / time.strftime("http_bench-%Y%m%dT%H%M%SZ.json", time.gmtime()),
        help="write the results as JSON here (default: bench/results/, not versioned)",
    )
    parser.add_argument("--check", action="store_true", help="exit 1 when the content/hello ratio is under 0.5")
    parser.add_argument("--wrk", default=shutil.which("wrk") or "wrk", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if not shutil.which(args.wrk):
        print("wrk not found: install it with `apt-get install wrk`", file=sys.stderr)
        return 2
    machine = machine_description()
    runs: dict[str, list[Measure]] = {"hello": [], "content": [], "home": []}
    data_dir = Path(tempfile.mkdtemp(prefix="rcs-bench-"))
    try:
        content_path = args.content_path or default_content_path()
        env = production_env(data_dir)
        prepare_real_app(env)
        # Both servers stay up; only the one under load uses CPU. Measuring them
        # back to back in each round pairs figures taken under the same
        # background load, which matters on a shared machine.
        with GunicornServer("hello_app:app", args, env, pythonpath=BENCH_DIR) as hello, \
                GunicornServer(args.app, args, env) as real:
            hello.wait_ready("/")
            real.wait_ready(content_path)
            real.wait_ready("/")
            # Warm-up once per URL: after it, templates, translations and
            # connections are as warm as they will get.
            for round_number in range(args.rounds):
                first = round_number == 0
                runs["hello"].append(measure("hello-world /", hello.base_url + "/", args, first, hello.pid))
                runs["content"].append(
                    measure(f"content {content_path}", real.base_url + content_path, args, first, real.pid)
                )
                runs["home"].append(measure("home /", real.base_url + "/", args, first, real.pid))
    except BenchError as error:
        print(f"benchmark invalid: {error}", file=sys.stderr)
        return 2
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)

    results = {name: median_measure(found) for name, found in runs.items()}
    hello_rps = results["hello"].rps
    content_ratio = paired_ratio(runs["content"], runs["hello"])
    home_ratio = paired_ratio(runs["home"], runs["hello"])

    print(
        f"gunicorn: {args.workers} workers, {args.worker_class}, {args.threads} threads; "
        f"wrk: {args.wrk_threads} thread(s), {args.connections} connections, "
        f"{args.warmup:g}s warm-up once + {args.duration:g}s measured per URL and round, {args.rounds} round(s)"
    )
    print(f"machine: {machine['nproc']} CPU ({machine['cpu']}), {machine['ram']} RAM, Python {machine['python']}")
    print()
    cpu_ms = {name: median_cpu_ms(found) for name, found in runs.items()}
    print(f"{'page':<40} {'req/s':>9} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'bytes':>8} {'srv CPU ms/req':>15}")
    for name, result in results.items():
        print(
            f"{result.label:<40} {result.rps:>9.1f} {result.p50_ms:>8.2f} {result.p95_ms:>8.2f} "
            f"{result.p99_ms:>8.2f} {result.bytes_per_response:>8.0f} {cpu_ms[name]:>15.3f}"
        )
    print()
    verdict = "target met" if content_ratio >= TARGET_RATIO else (
        f"TARGET MISSED by {(TARGET_RATIO - content_ratio) * 100:.1f} points"
    )
    print(f"content/hello throughput ratio: {content_ratio:.3f} (target >= {TARGET_RATIO}): {verdict}")
    print(f"home/hello throughput ratio:    {home_ratio:.3f}")
    cpu_ratio = cpu_ms["hello"] / cpu_ms["content"] if cpu_ms["content"] else 0.0
    print(
        f"content/hello server-CPU ratio: {cpu_ratio:.3f} (hello's server CPU per request over the content "
        "page's: the throughput ratio when the server has the cores to itself)"
    )
    if args.rounds > 1:
        per_round = [f"{p.rps / b.rps:.3f}" for p, b in zip(runs["content"], runs["hello"]) if b.rps]
        print(f"content/hello ratio per round (median reported): {', '.join(per_round)}")
        per_round_cpu = [
            f"{b.server_cpu_ms_per_request / p.server_cpu_ms_per_request:.3f}"
            for p, b in zip(runs["content"], runs["hello"]) if p.server_cpu_ms_per_request
        ]
        print(f"content/hello server-CPU ratio per round: {', '.join(per_round_cpu)}")

    if args.json:
        payload = {
            "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "machine": machine,
            "settings": {
                "workers": args.workers,
                "worker_class": args.worker_class,
                "threads": args.threads,
                "wrk_threads": args.wrk_threads,
                "connections": args.connections,
                "warmup_s": args.warmup,
                "duration_s": args.duration,
                "rounds": args.rounds,
            },
            "results": {
                name: {
                    **vars(m),
                    "rps": m.rps,
                    "all_rounds_rps": [r.rps for r in runs[name]],
                    "all_rounds_server_cpu_ms_per_request": [r.server_cpu_ms_per_request for r in runs[name]],
                }
                for name, m in results.items()
            },
            "content_hello_ratio": content_ratio,
            "home_hello_ratio": home_ratio,
            "server_cpu_ms_per_request": cpu_ms,
            "content_hello_server_cpu_ratio": cpu_ratio,
        }
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(payload, indent=2) + "\n")
        print(f"results written to {args.json}")

    if args.check and content_ratio < TARGET_RATIO:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
