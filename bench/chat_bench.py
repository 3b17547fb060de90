"""Chat round trip: through the Flask proxy vs Rasa's REST channel called directly.

Usage (from the repository root, after bot/scripts/train.sh):

    .venv/bin/python bench/chat_bench.py [--turns 8] [--levels 1 10 20]

Starts, in one run: the site (gunicorn, production settings, throwaway data
dir), the real action server and Rasa with the trained model. For each level
of concurrency, N conversations run at the same time, each sending the same
scripted messages, first directly to Rasa, then through the site's
/chat/api/message (real cookies, real CSRF token). Reports p50/p95 per level,
the proxy/direct ratio of the p50 and p95, Rasa's start-up time and the
resident memory of all bot processes. Prints a Markdown table and, last, JSON.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
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


def start_site(data_dir: Path, rasa_url: str, database_url: str | None = None) -> tuple[subprocess.Popen, str]:
    port = bot_processes.free_port()
    env = dict(os.environ, RCS_ENV="production", SECRET_KEY=secrets.token_hex(32),
               DATABASE_URL=database_url or f"sqlite:///{data_dir / 'bench.sqlite3'}",
               SEARCH_INDEX_PATH=str(data_dir / "search.sqlite3"), RASA_URL=rasa_url,
               RASA_TIMEOUT="10", CHAT_RATE_LIMIT_PER_MINUTE="100000")
    subprocess.run([sys.executable, "-m", "flask", "--app", "webapp:create_app", "db", "upgrade"],
                   cwd=ROOT, env=env, check=True, capture_output=True)
    process = subprocess.Popen(
        # The settings of `make run` (tools/run_all.sh) and the README's production line.
        [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", "2",
         "--worker-class", "gthread", "--threads", "8", "--log-level", "warning", "webapp:create_app()"],
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


def direct_conversation(rasa_url: str, turns: int) -> list[float]:
    http, sender, timings = requests.Session(), uuid.uuid4().hex, []
    # Straight to the Rasa process the site would pick for this conversation.
    url = rasa_url_for(sender, rasa_url)
    for i in range(turns):
        started = time.perf_counter()
        reply = http.post(f"{url}/webhooks/rest/webhook", timeout=30,
                          json={"sender": sender, "message": SCRIPT[i % len(SCRIPT)],
                                "metadata": {"lang": "fr"}})
        timings.append(time.perf_counter() - started)
        assert reply.status_code == 200 and reply.json(), reply.text
    return timings


def proxy_conversation(site_url: str, turns: int) -> list[float]:
    http, timings = requests.Session(), []
    page = http.get(f"{site_url}/chat", timeout=10).text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    headers = {"X-CSRFToken": token.group(1)} if token else {}
    for i in range(turns):
        # Production cookies are Secure; the bench talks plain HTTP on
        # localhost, so the session cookie is sent back as it would be over TLS.
        for cookie in http.cookies:
            cookie.secure = False
        started = time.perf_counter()
        reply = http.post(f"{site_url}/chat/api/message", timeout=30, headers=headers,
                          json={"message": SCRIPT[i % len(SCRIPT)]})
        timings.append(time.perf_counter() - started)
        assert reply.status_code == 200, reply.text[:300]
    return timings


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of one process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def process_tree(pid: int) -> list[int]:
    """This process and its descendants (gunicorn's workers)."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").iterdir():
            todo.extend(int(c) for c in (task / "children").read_text().split())
    return found


def run_level(function, url: str, conversations: int, turns: int, bot=None) -> dict:
    # CPU per message of each bot process: on a shared machine the latency
    # moves with the neighbours' load, the CPU a message costs does not.
    cpu_before = {name: sum(map(cpu_seconds, pids)) for name, pids in (bot or {}).items()}
    # The load generator runs on the same cores as the servers: its CPU is
    # shown too, since a real household's phone would not take it from them.
    cpu_before["client"] = cpu_seconds(os.getpid())
    with ThreadPoolExecutor(max_workers=conversations) as pool:
        started = time.perf_counter()
        results = list(pool.map(lambda _: function(url, turns), range(conversations)))
        elapsed = time.perf_counter() - started
    timings = [t for conversation in results for t in conversation]
    report = {"requests": len(timings), "p50_ms": round(percentile(timings, 50) * 1000, 1),
              "p95_ms": round(percentile(timings, 95) * 1000, 1),
              "mean_ms": round(statistics.mean(timings) * 1000, 1),
              "throughput_rps": round(len(timings) / elapsed, 1)}
    for name, before in cpu_before.items():
        used = sum(map(cpu_seconds, (bot or {}).get(name, [os.getpid()]))) - before
        report[f"{name}_cpu_ms_per_message"] = round(used / len(timings) * 1000, 1)
    return report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=8, help="messages per conversation")
    parser.add_argument("--levels", type=int, nargs="+", default=[1, 10, 20])
    parser.add_argument("--database", choices=["postgres", "sqlite"], default="postgres",
                        help="the site's database: PostgreSQL as in production (fsync on), or the "
                             "embedded SQLite; SQLite is used where PostgreSQL is not installed")
    parser.add_argument("--rasa-processes", type=int, default=2,
                        help="Rasa processes, as `make run` starts them (tools/run_all.sh)")
    args = parser.parse_args()
    reason = bot_processes.bot_available()
    if reason:
        raise SystemExit(reason)

    data_dir = Path(tempfile.mkdtemp(prefix="rcs-chat-bench-"))
    databases = contextlib.ExitStack()
    database_url = databases.enter_context(postgres_server(fsync=True)) if args.database == "postgres" else None
    database = "postgres" if database_url else "sqlite"
    # The site comes first: the action server needs its API; Rasa's URL is
    # only known after start, so the site is pointed at it through a second start.
    site_for_actions, api_url = start_site(data_dir, "http://127.0.0.1:9", database_url)
    bot = None
    site = None
    try:
        bot = bot_processes.start(api_url, rasa_processes=args.rasa_processes)
        site, site_url = start_site(data_dir, bot.rasa_url, database_url)
        memory_idle = bot_processes.resident_memory_mb(bot.pids())
        # Warm-up: the first messages of each process load lazy parts of Rasa.
        for _ in range(4 * len(bot.rasa_urls)):
            direct_conversation(bot.rasa_url, 4)
        proxy_conversation(site_url, 4)
        levels = {}
        for level in args.levels:
            pids = {"rasa": [p.pid for p in bot.processes[1:]], "actions": [bot.processes[0].pid],
                    "site": process_tree(site.pid)}
            direct = run_level(direct_conversation, bot.rasa_url, level, args.turns, pids)
            proxy = run_level(proxy_conversation, site_url, level, args.turns, pids)
            levels[str(level)] = {
                "direct": direct, "proxy": proxy,
                "ratio_p50": round(proxy["p50_ms"] / direct["p50_ms"], 2),
                "ratio_p95": round(proxy["p95_ms"] / direct["p95_ms"], 2),
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
        "bench": "chat_round_trip", "turns_per_conversation": args.turns,
        "machine": {"cpus": os.cpu_count(), "load_avg_1m": round(os.getloadavg()[0], 2)},
        "site_database": database, "rasa_processes": args.rasa_processes, "bot_startup_s": round(bot.startup_seconds, 1),
        "bot_rss_mb_idle": round(memory_idle), "bot_rss_mb_after_load": round(memory_loaded),
        "levels": levels,
    }
    print("| concurrent | direct p50 | direct p95 | proxy p50 | proxy p95 | ratio p50 | ratio p95 |")
    print("|---|---|---|---|---|---|---|")
    for level, row in levels.items():
        print(f"| {level} | {row['direct']['p50_ms']} ms | {row['direct']['p95_ms']} ms | "
              f"{row['proxy']['p50_ms']} ms | {row['proxy']['p95_ms']} ms | "
              f"{row['ratio_p50']} | {row['ratio_p95']} |")
    print(f"bot start-up {report['bot_startup_s']} s; bot RSS {report['bot_rss_mb_after_load']} MB")
    for level, row in levels.items():
        print(f"CPU per message at {level}: Rasa {row['direct']['rasa_cpu_ms_per_message']} ms, "
              f"action server {row['direct']['actions_cpu_ms_per_message']} ms, "
              f"site (proxy) {row['proxy']['site_cpu_ms_per_message']} ms, "
              f"load generator {row['proxy']['client_cpu_ms_per_message']} ms")
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
