"""gunicorn with the site's settings (webapp/gunicorn_conf.py), as `make run` starts it."""
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from tests.chat.bot_processes import free_port

ROOT = Path(__file__).resolve().parents[2]


def _serve(tmp_path, workers: int):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env.update(RCS_ENV="development", DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
               SEARCH_INDEX_PATH=str(tmp_path / "search.sqlite3"), AUTO_MIGRATE="1",
               SECRET_KEY_FILE=str(tmp_path / "secret_key"))
    # The log goes to a file: a pipe nobody reads while the site serves could fill and stop it.
    with open(tmp_path / "gunicorn.log", "wb") as log_file:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--config", "python:webapp.gunicorn_conf",
             "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "webapp:create_app()"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log_file, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline, last = time.monotonic() + 60, None
        while time.monotonic() < deadline and process.poll() is None:
            try:
                last = requests.get(f"{url}/", timeout=5).status_code
                if last == 200:
                    break
            except requests.RequestException as exc:
                last = type(exc).__name__
            time.sleep(0.25)
        else:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=20)
            log = (tmp_path / "gunicorn.log").read_text(errors="replace")
            pytest.fail(f"gunicorn did not serve the home page (last answer: {last}, "
                        f"exit: {process.returncode}); its log:\n{log[-4000:]}")
        yield process, url
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=20)


@pytest.fixture
def served(tmp_path):
    yield from _serve(tmp_path, workers=1)


@pytest.fixture
def served_as_make_run(tmp_path):
    # The configuration's own number of workers, as tools/run_all.sh starts it.
    from webapp import gunicorn_conf

    assert gunicorn_conf.workers == 2
    yield from _serve(tmp_path, workers=gunicorn_conf.workers)


def _workers(pid: int) -> list[int]:
    return [int(child) for task in Path(f"/proc/{pid}/task").iterdir()
            for child in (task / "children").read_text().split()]


@pytest.mark.skipif(not Path("/dev/shm").is_dir(), reason="no /dev/shm on this machine")
def test_the_site_is_served_with_its_heartbeat_in_shared_memory(served):
    process, url = served
    assert requests.get(f"{url}/chat", timeout=5).status_code == 200
    (worker,) = _workers(process.pid)
    # The worker's heartbeat file (an unlinked temporary file it keeps open).
    files = [os.readlink(fd) for fd in Path(f"/proc/{worker}/fd").iterdir() if fd.is_symlink()]
    assert any(f.startswith("/dev/shm/") for f in files), files


def test_a_form_posted_to_either_worker_passes_the_csrf_check(served_as_make_run):
    """A key drawn per worker in development made every second form a 400."""
    import re

    process, url = served_as_make_run
    assert len(_workers(process.pid)) == 2
    browser = requests.Session()
    page = browser.get(f"{url}/chat", timeout=5).text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    statuses = []
    for _ in range(16):
        # A new connection each time: the kernel hands each to either worker.
        browser.close()
        answer = browser.post(f"{url}/chat/recommencer", data={"csrf_token": token}, timeout=5,
                              allow_redirects=False)
        statuses.append(answer.status_code)
    assert statuses == [303] * 16


def test_a_worker_leaves_what_the_app_loaded_out_of_full_collections():
    import gc

    from gunicorn.app.base import Application

    class Loader(Application):
        def load_config(self):
            # As `--config python:webapp.gunicorn_conf` does: names gunicorn
            # does not know are ignored, so a misspelt hook would never run.
            self.load_config_from_module_name_or_filename("python:webapp.gunicorn_conf")

        def init(self, parser, opts, args):
            return None

        def load(self):
            return None

    config = Loader().cfg
    gc.unfreeze()
    try:
        assert gc.get_freeze_count() == 0
        # gunicorn calls it in each worker once the app is loaded (Worker.init_process).
        config.post_worker_init(None)
        assert gc.get_freeze_count() > 1000
    finally:
        gc.unfreeze()
