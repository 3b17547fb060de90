"""Start the real Rasa server and action server for tests and benchmarks.

Both listen on 127.0.0.1 on free ports; the action server calls a live copy
of the site (WEBAPP_API_URL) so the answers come from the real triage API.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

from webapp.config import Config

ROOT = Path(__file__).resolve().parents[2]
BOT_DIR = ROOT / "bot"
BOT_PYTHON = BOT_DIR / ".venv" / "bin" / "python"
# BOT_MODEL lets a benchmark compare another trained model with the same harness.
MODEL = Path(os.environ.get("BOT_MODEL") or BOT_DIR / "models" / "rester-chez-soi.tar.gz")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def project_endpoints(actions_port: int) -> str:
    """bot/endpoints.yml as `make run` reads it (its tracker store too), with this action server's port."""
    text = (BOT_DIR / "endpoints.yml").read_text(encoding="utf-8")
    served = "http://127.0.0.1:5055/webhook"
    if served not in text:
        raise RuntimeError(f"bot/endpoints.yml no longer names the action server as {served}")
    return text.replace(served, f"http://127.0.0.1:{actions_port}/webhook")


def bot_available() -> str | None:
    """Why the real bot cannot run here, or None when it can."""
    if not BOT_PYTHON.exists():
        return f"{BOT_PYTHON} is missing (bot environment not installed)"
    if not MODEL.exists():
        return f"{MODEL} is missing (run bot/scripts/train.sh)"
    return None


@dataclass
class BotProcesses:
    # The site's RASA_URL setting: one URL, or several comma-separated.
    rasa_url: str
    actions_url: str
    processes: list = field(default_factory=list)
    startup_seconds: float = 0.0
    log_dir: Path | None = None

    @property
    def rasa_urls(self) -> list[str]:
        return self.rasa_url.split(",")

    def pids(self) -> list[int]:
        return [p.pid for p in self.processes]

    def stop(self, keep_logs: bool = False) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        # A failed start keeps its logs and names their folder; after a normal
        # stop they were one folder left behind per run.
        if self.log_dir is not None and not keep_logs:
            shutil.rmtree(self.log_dir, ignore_errors=True)


def _check_tracker_store(bot: BotProcesses, ports: list[int]) -> None:
    # Rasa falls back to its own in-memory store, which keeps every
    # conversation, with only a warning when endpoints.yml's type cannot be
    # imported: the tests must not run on another store than `make run`'s.
    for port in ports:
        log = (bot.log_dir / f"rasa-{port}.log").read_text(encoding="utf-8", errors="replace")
        if "Using `InMemoryTrackerStore` instead" in log:
            bot.stop(keep_logs=True)
            raise RuntimeError(f"Rasa did not load the tracker store of bot/endpoints.yml; see {bot.log_dir}")


def start(webapp_api_url: str, timeout: float = 300.0, rasa_processes: int = 1) -> BotProcesses:
    """Start the action server and Rasa (one process or more); return once every Rasa answers."""
    rasa_ports, actions_port = [free_port() for _ in range(rasa_processes)], free_port()
    log_dir = Path(tempfile.mkdtemp(prefix="rcs-bot-"))
    endpoints = log_dir / "endpoints.yml"
    endpoints.write_text(project_endpoints(actions_port))
    env = dict(os.environ, WEBAPP_API_URL=webapp_api_url, RASA_TELEMETRY_ENABLED="false",
               TF_CPP_MIN_LOG_LEVEL="3", LOG_LEVEL="WARNING", SANIC_ACCESS_LOG="false",
               CHAT_RETENTION_HOURS=os.environ.get("CHAT_RETENTION_HOURS")
               or str(Config.CHAT_RETENTION_HOURS))
    started = time.monotonic()
    actions = subprocess.Popen(
        [str(BOT_PYTHON), "-m", "rasa_sdk", "--actions", "actions", "--port", str(actions_port)],
        cwd=BOT_DIR, env=env, stdout=open(log_dir / "actions.log", "w"), stderr=subprocess.STDOUT)
    # The same launcher as `make run` (scripts/rasa_server.py: `rasa run` plus
    # one documented fix), so tests and benchmarks measure what is served.
    rasas = [subprocess.Popen(
        [str(BOT_PYTHON), "scripts/rasa_server.py", "run", "--model", str(MODEL),
         "--endpoints", str(endpoints), "--credentials", str(BOT_DIR / "credentials.yml"),
         "--interface", "127.0.0.1", "--port", str(port), "--quiet"],
        cwd=BOT_DIR, env=env, stdout=open(log_dir / f"rasa-{port}.log", "w"), stderr=subprocess.STDOUT)
        for port in rasa_ports]
    bot = BotProcesses(",".join(f"http://127.0.0.1:{port}" for port in rasa_ports),
                       f"http://127.0.0.1:{actions_port}", [actions, *rasas], log_dir=log_dir)
    deadline = time.monotonic() + timeout
    waiting = list(bot.rasa_urls)
    while time.monotonic() < deadline:
        if any(p.poll() is not None for p in bot.processes):
            bot.stop(keep_logs=True)
            raise RuntimeError(f"a bot process exited; logs in {log_dir}")
        try:
            ready_actions = requests.get(f"{bot.actions_url}/health", timeout=2).status_code == 200
            for url in list(waiting):
                reply = requests.post(f"{url}/webhooks/rest/webhook",
                                      json={"sender": "readiness-probe", "message": "bonjour"}, timeout=10)
                if ready_actions and reply.status_code == 200 and reply.json():
                    waiting.remove(url)
            if not waiting:
                bot.startup_seconds = time.monotonic() - started
                _check_tracker_store(bot, rasa_ports)
                return bot
        except (requests.RequestException, ValueError):
            pass
        time.sleep(1)
    bot.stop(keep_logs=True)
    raise RuntimeError(f"the bot did not start within {timeout:.0f} s; logs in {log_dir}")


def resident_memory_mb(pids: list[int]) -> float:
    """Resident memory of these processes and their children, in MB (Linux /proc)."""
    seen, todo, total_kb = set(), list(pids), 0
    while todo:
        pid = todo.pop()
        if pid in seen:
            continue
        seen.add(pid)
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total_kb += int(line.split()[1])
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
            todo.extend(int(c) for c in children)
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total_kb / 1024
