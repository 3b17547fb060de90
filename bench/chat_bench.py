"""Chat round trip: through the Flask proxy vs Rasa's REST channel called directly.

Usage (from the repository root, after bot/scripts/train.sh):

    .venv/bin/python bench/chat_bench.py [--turns 8] [--levels 1 10 20] [--rounds 5]

Starts, in one run: the site (gunicorn, production settings, throwaway data
dir), the real action server and Rasa with the trained model. For each level
of concurrency, N conversations are under way at every moment of a round (a
new one starts as soon as one ends), each sending the same scripted
messages, directly to Rasa and through the site's /chat/api/message (real
cookies, real CSRF token, the page loaded first), in alternating rounds of 3
seconds: at least 5 per way and level, and at least 800 messages. Reports p50/p95 per level,
the proxy/direct ratio of the p50 and p95, Rasa's start-up time and the
resident memory of all bot processes. Prints a Markdown table and, last, JSON.

`--proxy flask-floor` or `--proxy wsgi-floor` serves the proxy way with a
stand-in of bench/chat_floor_app.py instead of the site: what the ratio is
on the same stack with nothing of the site's own.
"""
from __future__ import annotations

import argparse
import contextlib
import http.client
import itertools
import json
import math
import os
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.chat import bot_processes  # noqa: E402
from tests.postgres import postgres_server  # noqa: E402
from webapp.chat.rasa_client import rasa_url_for  # noqa: E402

# Answers from responses and light actions, no triage: the bench measures the
# chat path, not the triage engine (bench/triage_bench.py does that).
SCRIPT = [
    "bonjour",
    "c'est quand la treve hivernale",
    "est ce que je vais perdre mes apl",
    "comment faire un dossier de surendettement",
    "merci",
    "au revoir",
]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


# What serves the chat in the proxy way: the site, or a floor of the same
# stack with nothing of the site's own (bench/chat_floor_app.py).
PROXIES = {"site": "webapp:create_app()", "flask-floor": "chat_floor_app:flask_floor",
           "wsgi-floor": "chat_floor_app:wsgi_floor"}


def start_site(data_dir: Path, rasa_url: str, database_url: str | None = None,
               workers: int = 2, threads: int = 24, proxy: str = "site") -> tuple[subprocess.Popen, str]:
    port = bot_processes.free_port()
    env = dict(os.environ, RCS_ENV="production", SECRET_KEY=secrets.token_hex(32),
               DATABASE_URL=database_url or f"sqlite:///{data_dir / 'bench.sqlite3'}",
               SEARCH_INDEX_PATH=str(data_dir / "search.sqlite3"), RASA_URL=rasa_url,
               RASA_TIMEOUT="10", CHAT_RATE_LIMIT_PER_MINUTE="100000")
    subprocess.run([sys.executable, "-m", "flask", "--app", "webapp:create_app", "db", "upgrade"],
                   cwd=ROOT, env=env, check=True, capture_output=True)
    process = subprocess.Popen(
        # The settings of `make run` and the README's production line
        # (webapp/gunicorn_conf.py); workers and threads as asked.
        [sys.executable, "-m", "gunicorn", "--config", "python:webapp.gunicorn_conf",
         "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--threads", str(threads),
         "--log-level", "warning", "--pythonpath", str(ROOT / "bench"), PROXIES[proxy]],
        cwd=ROOT, env=env, stdout=open(data_dir / "gunicorn.log", "w"), stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            if requests.get(f"{url}/chat", timeout=2).status_code == 200:
                return process, url
        except requests.RequestException:
            time.sleep(0.5)
    process.terminate()
    raise SystemExit(f"the site did not start; see {data_dir / 'gunicorn.log'}")


class Client:
    """One keep-alive HTTP connection with its cookies, on the standard library.

    The load generator runs on the same two cores as the servers: requests
    cost it about 1.9 ms of CPU per message, taken from the servers under
    test (a household's phone would not). http.client costs less than half.
    """

    def __init__(self, base_url: str):
        parts = urllib.parse.urlsplit(base_url)
        self.connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body=None, headers=None) -> tuple[int, bytes]:
        headers = dict(headers or {})
        if self.cookies:
            # Production cookies are Secure; the bench talks plain HTTP on
            # localhost, so the session cookie is sent back as over TLS.
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        self.connection.request(method, path, body=data, headers=headers)
        response = self.connection.getresponse()
        payload = response.read()
        for cookie in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = cookie.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, payload

    def close(self) -> None:
        self.connection.close()


def direct_conversation(rasa_url: str, turns: int, number: int = 0,
                        stop: float = math.inf) -> list[tuple[float, float]]:
    """One conversation straight to Rasa: (start, duration) of each message sent before `stop`."""
    sender, timings = uuid.uuid4().hex, []
    # Straight to the Rasa process the site would pick: new conversations
    # take the processes in turn (webapp/chat/rasa_client.py).
    client = Client(rasa_url_for(number, rasa_url))
    try:
        for i in range(turns):
            started = time.perf_counter()
            if started >= stop:
                break
            status, reply = client.request("POST", "/webhooks/rest/webhook", body={
                "sender": sender, "message": SCRIPT[i % len(SCRIPT)], "metadata": {"lang": "fr"}})
            timings.append((started, time.perf_counter() - started))
            assert status == 200 and json.loads(reply), reply[:300]
    finally:
        client.close()
    return timings


def proxy_conversation(site_url: str, turns: int, _number: int = 0,
                       stop: float = math.inf) -> list[tuple[float, float]]:
    """One conversation through the site, its page load first (not timed): (start, duration) of each message."""
    timings, client = [], Client(site_url)
    try:
        status, page = client.request("GET", "/chat")
        assert status == 200, page[:300]
        token = re.search(rb'name="csrf_token" value="([^"]+)"', page)
        headers = {"X-CSRFToken": token.group(1).decode()} if token else {}
        for i in range(turns):
            started = time.perf_counter()
            if started >= stop:
                break
            status, reply = client.request("POST", "/chat/api/message", headers=headers,
                                           body={"message": SCRIPT[i % len(SCRIPT)]})
            timings.append((started, time.perf_counter() - started))
            assert status == 200, reply[:300]
    finally:
        client.close()
    return timings


def cpu_seconds(pid: int, with_reaped_children: bool = False) -> float:
    """User + system CPU time of one process so far (Linux /proc); 0 once it has exited.

    with_reaped_children adds the time of its children that have exited and
    been waited for: a PostgreSQL backend that ends during a round (the
    site's pool closing an overflow connection) is counted by the postmaster.
    """
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return 0.0
    ticks = int(fields[11]) + int(fields[12])
    if with_reaped_children:
        ticks += int(fields[13]) + int(fields[14])
    return ticks / os.sysconf("SC_CLK_TCK")


def process_tree(pid: int) -> list[int]:
    """This process and its descendants (gunicorn's workers, PostgreSQL's backends)."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            for task in Path(f"/proc/{current}/task").iterdir():
                todo.extend(int(c) for c in (task / "children").read_text().split())
        except FileNotFoundError:
            # Ended while being listed.
            continue
    return found


def speed_probe() -> float:
    """CPU milliseconds of a fixed pure-Python loop (best of 5).

    This virtual machine's speed drifts over hours (Rasa's CPU per message
    moved from 13 to 20 ms with nothing changed): the probe, taken before and
    after the run, tells which state a run was measured in.
    """
    def once() -> float:
        started, total = time.process_time(), 0
        for i in range(3_000_000):
            total += i * i
        return time.process_time() - started
    return round(min(once() for _ in range(5)) * 1000, 1)


def machine_ticks() -> tuple[int, int]:
    """(ticks the hypervisor stole from this machine, all its CPU ticks) so far (Linux /proc/stat).

    A virtual machine whose host is busy gets less than its cores: the time
    its vCPUs were ready but not run is "steal". It tells a slow phase of the
    host from a slow phase of ours.
    """
    try:
        fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except (OSError, ValueError):
        return 0, 0
    # user nice system idle iowait irq softirq steal (guest time is inside user).
    return (fields[7] if len(fields) > 7 else 0), sum(fields[:8])


def postgres_pid(database_url: str | None) -> int | None:
    """The postmaster of the bench's private cluster (tests/postgres.py), if any."""
    match = re.search(r"host=([^&]+)", database_url or "")
    if not match:
        return None
    pid_file = Path(match.group(1)).parent / "data" / "postmaster.pid"
    try:
        return int(pid_file.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def run_round(function, url: str, conversations: int, turns: int, seconds: float | None,
              pids=None) -> dict:
    """One round of `seconds`: `conversations` at once, all the time.

    With `seconds` None (--mode batch, the design of stops 9 to 14), each
    place runs one conversation to its end, and the round ends with the last.

    Each of the `conversations` places starts together with the others and,
    as soon as a conversation of `turns` messages ends, starts a new one, so
    that exactly that many are under way until the end. Only messages sent
    before the end count; the ones under way then are awaited. Rounds that
    ran a fixed set of conversations to their end had fewer under way in
    their last part, and not as many in both ways (16.2 against 17.8 on
    average at 20, from the latencies and throughput of a run): the
    percentiles were then not both "at 20".
    """
    # CPU per message of each server process: on a shared machine the latency
    # moves with the neighbours' load, the CPU a message costs does not.
    pids = dict(pids or {})
    # The load generator runs on the same cores as the servers: its CPU is
    # shown too, since a real household's phone would not take it from them.
    pids["client"] = [os.getpid()]

    def cpu_now() -> dict[str, float]:
        used = {name: sum(map(cpu_seconds, found)) for name, found in pids.items() if name != "postgres"}
        if "postgres" in pids:
            postmaster, *backends = process_tree(pids["postgres"][0])
            used["postgres"] = (cpu_seconds(postmaster, with_reaped_children=True)
                                + sum(map(cpu_seconds, backends)))
        return used

    # New conversations take the Rasa processes in turn, as the site's do
    # (webapp/chat/turns.py); the direct way uses this number, the site its own.
    numbers, numbers_lock = itertools.count(), threading.Lock()
    start = threading.Barrier(conversations)

    def place(_index: int) -> list[tuple[float, float]]:
        start.wait()
        if seconds is None:
            with numbers_lock:
                number = next(numbers)
            return function(url, turns, number)
        stop = time.perf_counter() + seconds
        timings = []
        while time.perf_counter() < stop:
            with numbers_lock:
                number = next(numbers)
            timings += function(url, turns, number, stop)
        return timings

    before, ticks_before = cpu_now(), machine_ticks()
    with ThreadPoolExecutor(max_workers=conversations) as pool:
        started = time.perf_counter()
        results = list(pool.map(place, range(conversations)))
        elapsed = time.perf_counter() - started
    after, ticks_after = cpu_now(), machine_ticks()
    return {"timings": [duration for place_timings in results for _, duration in place_timings],
            "elapsed": elapsed, "cpu": {name: after[name] - before[name] for name in pids},
            "ticks": (ticks_after[0] - ticks_before[0], ticks_after[1] - ticks_before[1])}


def summarize(rounds: list[dict]) -> dict:
    """Percentiles over every message of every round; CPU per message over all of them."""
    timings = [t for one in rounds for t in one["timings"]]
    report = {"requests": len(timings), "rounds": len(rounds),
              "p50_ms": round(percentile(timings, 50) * 1000, 1),
              "p95_ms": round(percentile(timings, 95) * 1000, 1),
              "mean_ms": round(statistics.mean(timings) * 1000, 1),
              "p95_ms_by_round": [round(percentile(one["timings"], 95) * 1000, 1) for one in rounds],
              "throughput_rps": round(len(timings) / sum(one["elapsed"] for one in rounds), 1)}
    stolen, ticks = (sum(one["ticks"][i] for one in rounds) for i in (0, 1))
    report["steal_percent"] = round(100 * stolen / ticks, 1) if ticks else None
    for name in rounds[0]["cpu"]:
        used = sum(one["cpu"][name] for one in rounds)
        report[f"{name}_cpu_ms_per_message"] = round(used / len(timings) * 1000, 1)
    return report


def cpu_ratio(direct: dict, proxy: dict) -> float:
    """CPU a message costs all processes through the site, over the same straight to Rasa.

    With the two cores saturated (10 and 20 conversations sent back to back)
    the latency ratio follows it; unlike latency it hardly moves with the
    machine's speed (docs/performance.md, stops 15 to 17).
    """
    def total(way: dict) -> float:
        return sum(value for key, value in way.items() if key.endswith("_cpu_ms_per_message"))
    return round(total(proxy) / total(direct), 2)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=8, help="messages per conversation")
    parser.add_argument("--levels", type=int, nargs="+", default=[1, 10, 20])
    parser.add_argument("--rounds", type=int, default=5,
                        help="rounds per level and way at least, alternating; percentiles are over "
                             "all their messages (a p95 from 160 values moved by 100 ms between "
                             "runs)")
    parser.add_argument("--messages", type=int, default=800,
                        help="messages per level and way at least: lower levels get more rounds, "
                             "so that their percentiles rest on as many values as at 20 (40 "
                             "messages at 1 conversation gave a p95 that was the second slowest "
                             "of them)")
    parser.add_argument("--seconds", type=float, default=3.0,
                        help="length of a round: the level's conversations are all under way "
                             "during it (a new one starts when one ends)")
    parser.add_argument("--mode", choices=["steady", "batch"], default="steady",
                        help="steady: rounds of --seconds with the level's conversations always "
                             "under way; batch: each round runs the level's conversations once, "
                             "to their end (fewer under way in its last part), as stops 9 to 14 did")
    parser.add_argument("--database", choices=["postgres", "sqlite"], default="postgres",
                        help="the site's database: PostgreSQL as in production (fsync on), or the "
                             "embedded SQLite; SQLite is used where PostgreSQL is not installed")
    parser.add_argument("--rasa-processes", type=int, default=2,
                        help="Rasa processes, as `make run` starts them (tools/run_all.sh)")
    parser.add_argument("--site-workers", type=int, default=2, help="gunicorn workers of the site")
    parser.add_argument("--site-threads", type=int, default=24,
                        help="gunicorn threads per worker (make run's setting)")
    parser.add_argument("--proxy", choices=sorted(PROXIES), default="site",
                        help="what serves the proxy way: the site, or one of the floors of "
                             "bench/chat_floor_app.py (flask-floor needs PostgreSQL)")
    args = parser.parse_args()
    reason = bot_processes.bot_available()
    if reason:
        raise SystemExit(reason)

    probe_before = speed_probe()
    data_dir = Path(tempfile.mkdtemp(prefix="rcs-chat-bench-"))
    databases = contextlib.ExitStack()
    database_url = databases.enter_context(postgres_server(fsync=True)) if args.database == "postgres" else None
    database = "postgres" if database_url else "sqlite"
    if args.proxy == "flask-floor" and not database_url:
        raise SystemExit("--proxy flask-floor keeps its sessions in PostgreSQL, which is not installed here")
    # The site comes first: the action server needs its API; Rasa's URL is
    # only known after start, so the site is pointed at it through a second start.
    site_for_actions, api_url = start_site(data_dir, "http://127.0.0.1:9", database_url)
    bot = None
    site = None
    try:
        bot = bot_processes.start(api_url, rasa_processes=args.rasa_processes)
        site, site_url = start_site(data_dir, bot.rasa_url, database_url,
                                    workers=args.site_workers, threads=args.site_threads, proxy=args.proxy)
        memory_idle = bot_processes.resident_memory_mb(bot.pids())
        # Warm-up: the first messages of each process load lazy parts of Rasa,
        # and the first page of each gunicorn worker compiles its templates.
        # Concurrent conversations, so that every worker gets some.
        for number in range(4 * len(bot.rasa_urls)):
            direct_conversation(bot.rasa_url, 4, number)
        with ThreadPoolExecutor(max_workers=8 * args.site_workers) as pool:
            list(pool.map(lambda _: proxy_conversation(site_url, 2), range(8 * args.site_workers)))
        levels = {}
        for level in args.levels:
            pids = {"rasa": [p.pid for p in bot.processes[1:]], "actions": [bot.processes[0].pid],
                    "site": process_tree(site.pid)}
            if postgres_pid(database_url):
                pids["postgres"] = [postgres_pid(database_url)]
            # Rounds alternate, so that both ways see the same background load.
            direct_rounds, proxy_rounds = [], []
            while len(direct_rounds) < args.rounds or min(
                    sum(len(one["timings"]) for one in way) for way in (direct_rounds, proxy_rounds)
            ) < args.messages:
                seconds = args.seconds if args.mode == "steady" else None
                direct_rounds.append(run_round(direct_conversation, bot.rasa_url, level, args.turns,
                                               seconds, pids))
                proxy_rounds.append(run_round(proxy_conversation, site_url, level, args.turns,
                                              seconds, pids))
            direct, proxy = summarize(direct_rounds), summarize(proxy_rounds)
            levels[str(level)] = {
                "direct": direct, "proxy": proxy,
                "ratio_p50": round(proxy["p50_ms"] / direct["p50_ms"], 2),
                "ratio_p95": round(proxy["p95_ms"] / direct["p95_ms"], 2),
                # What the site adds to a message, in time: the ratio's
                # numerator moves with Rasa's speed, this does not.
                "added_p50_ms": round(proxy["p50_ms"] - direct["p50_ms"], 1),
                "cpu_ratio": cpu_ratio(direct, proxy),
            }
        memory_loaded = bot_processes.resident_memory_mb(bot.pids())
    finally:
        for process in (site, site_for_actions):
            if process is not None:
                process.terminate()
                process.wait(timeout=20)
        if bot is not None:
            bot.stop()
        databases.close()

    report = {
        "bench": "chat_round_trip", "turns_per_conversation": args.turns, "mode": args.mode,
        "round_seconds": args.seconds if args.mode == "steady" else None,
        "machine": {"cpus": os.cpu_count(), "load_avg_1m": round(os.getloadavg()[0], 2),
                    "speed_probe_ms": [probe_before, speed_probe()]},
        "proxy": args.proxy, "site_database": database, "rasa_processes": args.rasa_processes, "bot_startup_s": round(bot.startup_seconds, 1),
        "bot_rss_mb_idle": round(memory_idle), "bot_rss_mb_after_load": round(memory_loaded),
        "levels": levels,
    }
    print("| concurrent | direct p50 | direct p95 | proxy p50 | proxy p95 | ratio p50 | ratio p95 | added p50 |")
    print("|---|---|---|---|---|---|---|---|")
    for level, row in levels.items():
        print(f"| {level} | {row['direct']['p50_ms']} ms | {row['direct']['p95_ms']} ms | "
              f"{row['proxy']['p50_ms']} ms | {row['proxy']['p95_ms']} ms | "
              f"{row['ratio_p50']} | {row['ratio_p95']} | {row['added_p50_ms']} ms |")
    for level, row in levels.items():
        print(f"p95 by round at {level}: direct {row['direct']['p95_ms_by_round']}, "
              f"proxy {row['proxy']['p95_ms_by_round']}")
    print(f"bot start-up {report['bot_startup_s']} s; bot RSS {report['bot_rss_mb_after_load']} MB; "
          f"speed probe before/after {report['machine']['speed_probe_ms']} ms (lower is faster)")
    for level, row in levels.items():
        print(f"CPU per message at {level}: Rasa {row['direct']['rasa_cpu_ms_per_message']} ms, "
              f"action server {row['direct']['actions_cpu_ms_per_message']} ms, "
              f"site (proxy) {row['proxy']['site_cpu_ms_per_message']} ms, "
              f"PostgreSQL (proxy) {row['proxy'].get('postgres_cpu_ms_per_message', '-')} ms, "
              f"load generator {row['proxy']['client_cpu_ms_per_message']} ms; "
              f"all processes through the site over direct: {row['cpu_ratio']}; "
              f"stolen by the host: {row['direct']['steal_percent']} % / {row['proxy']['steal_percent']} %")
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
