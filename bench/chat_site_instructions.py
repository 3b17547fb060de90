"""Instructions the site executes per chat message, counted by valgrind (callgrind).

Usage (from the repository root; needs valgrind):

    .venv/bin/python bench/chat_site_instructions.py [--tree DIR ...]

This machine's speed drifts by a factor of two over an hour (chat_bench.py's
speed probe), so a CPU-time A/B of a change worth 5 % needs many runs. An
instruction count does not drift: for each source tree given (default: this
one; another commit is a `git worktree`), the site's code runs in one process
under callgrind with PostgreSQL (fsync on, as in production) and a stand-in
Rasa in other processes (not counted). Two runs, of 5 and 25 conversations of
8 messages after the same warm-up, are subtracted: what remains is the cost of
20 conversations, reported per message (the page load of each conversation
included, as in chat_bench.py). Flask's test client builds the requests, so
the figure includes it and not gunicorn: compare trees, not absolute values.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.chat.fake_rasa import FakeRasa  # noqa: E402
from tests.postgres import fresh_database, postgres_server  # noqa: E402

SCRIPT = ["bonjour", "c'est quand la treve hivernale", "est ce que je vais perdre mes apl",
          "comment faire un dossier de surendettement", "merci", "au revoir"]
# Rasa's real answers to SCRIPT (the first sentence of each, as in chat_bench.py's run).
REPLY = [{"text": "La trêve hivernale va du 1er novembre au 31 mars : pendant cette période, personne "
                  "ne peut être expulsé de force de son logement. Mais la procédure continue "
                  "(commandement, audience, jugement) et la dette aussi : c'est le moment d'agir, "
                  "pas d'attendre. Le numéro est sur /annuaire/mes-contacts."}]

# Runs in the measured process: N conversations against the app of one tree.
CHILD = r"""
import os, re, sys
sys.path.insert(0, os.environ["TREE"])
from webapp import create_app
app = create_app()
script = {script!r}
def conversation():
    client = app.test_client()
    page = client.get("/chat", base_url="https://localhost").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    for i in range(8):
        answer = client.post("/chat/api/message", json={{"message": script[i % len(script)]}},
                             headers={{"X-CSRFToken": token, "Referer": "https://localhost/chat"}},
                             base_url="https://localhost")
        assert answer.status_code == 200, answer.get_data()[:300]
for _ in range(5 + int(sys.argv[1])):
    conversation()
"""


def instructions(tree: Path, conversations: int, env: dict) -> int:
    run = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable, "-c",
         CHILD.format(script=SCRIPT), str(conversations)],
        cwd=tree, env=dict(env, TREE=str(tree)), capture_output=True, text=True)
    found = re.search(r"Collected : (\d+)", run.stderr)
    if run.returncode != 0 or not found:
        raise SystemExit(f"{tree}: the measured run failed:\n{run.stderr[-3000:]}")
    return int(found.group(1))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tree", type=Path, nargs="+", default=[ROOT],
                        help="source trees to measure (each with .venv and compiled translations)")
    args = parser.parse_args()
    report = {}
    with FakeRasa(keep_alive=True, reply=REPLY) as rasa, postgres_server(fsync=True) as server:
        if server is None:
            raise SystemExit("PostgreSQL is not installed here")
        for tree in args.tree:
            url = fresh_database(server)
            env = dict(os.environ, RCS_ENV="production", SECRET_KEY="x" * 64, DATABASE_URL=url,
                       PYTHONHASHSEED="0", RASA_URL=rasa.url, RASA_TIMEOUT="10",
                       CHAT_RATE_LIMIT_PER_MINUTE="100000",
                       SEARCH_INDEX_PATH=str(Path(tempfile.mkdtemp()) / "search.sqlite3"))
            subprocess.run([sys.executable, "-c", "import sys; sys.path.insert(0, sys.argv[1]); "
                            "from webapp import db; db.upgrade(sys.argv[2])", str(tree), url],
                           cwd=tree, env=env, check=True, capture_output=True)
            few, many = instructions(tree, 5, env), instructions(tree, 25, env)
            report[str(tree)] = round((many - few) / (20 * 8) / 1e6, 3)
            print(f"{tree}: {report[str(tree)]} million instructions per chat message", flush=True)
    print(json.dumps({"bench": "chat_site_instructions", "million_instructions_per_message": report}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
