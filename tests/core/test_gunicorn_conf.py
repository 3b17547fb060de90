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


@pytest.fixture
def served(tmp_path):
    port = free_port()
    env = dict(os.environ, RCS_ENV="development", DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
               SEARCH_INDEX_PATH=str(tmp_path / "search.sqlite3"), AUTO_MIGRATE="1")
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--config", "python:webapp.gunicorn_conf",
         "--bind", f"127.0.0.1:{port}", "--workers", "1", "webapp:create_app()"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                if requests.get(f"{url}/", timeout=2).status_code == 200:
                    break
            except requests.RequestException:
                time.sleep(0.25)
        else:
            pytest.fail("gunicorn did not serve the home page")
        yield process, url
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)


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
