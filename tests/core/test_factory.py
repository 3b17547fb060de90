"""The application factory and its configuration."""
import os
import subprocess
import sys

import pytest

from webapp import create_app
from webapp.config import Config


def test_factory_without_argument_gives_a_working_development_app(tmp_path, monkeypatch):
    """create_app() with no argument serves the home page on embedded defaults."""
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'dev.sqlite3'}")
    monkeypatch.setenv("SEARCH_INDEX_PATH", str(tmp_path / "search.sqlite3"))
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("SECRET_KEY_FILE", str(tmp_path / "secret_key"))
    app = create_app()
    assert app.config["RCS_ENV"] == "development"
    # Made for development, and kept for the next process.
    assert app.config["SECRET_KEY"] == (tmp_path / "secret_key").read_text().strip()
    response = app.test_client().get("/")
    assert response.status_code == 200
    assert (tmp_path / "dev.sqlite3").exists()


def test_production_refuses_to_start_without_secret_key():
    """Outside development, a missing SECRET_KEY stops the start-up."""
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        Config.from_env({"RCS_ENV": "production"})


def test_config_reads_typed_values_from_environment(tmp_path):
    """Integers, booleans and lists are parsed from their environment strings."""
    config = Config.from_env({"SECRET_KEY_FILE": str(tmp_path / "secret_key"),
                              "CONTENT_MAX_AGE_DAYS": "30", "AUTO_MIGRATE": "false",
                              "LANGUAGES": "fr, en", "RASA_TIMEOUT": "2.5"})
    assert config.CONTENT_MAX_AGE_DAYS == 30
    assert config.AUTO_MIGRATE is False
    assert config.LANGUAGES == ("fr", "en")
    assert config.RASA_TIMEOUT == 2.5


def test_production_does_not_migrate_on_start():
    """Schema changes in production happen through `make setup`, not at boot."""
    config = Config.from_env({"RCS_ENV": "production", "SECRET_KEY": "x"})
    assert config.AUTO_MIGRATE is False


_PRINT_KEY = "from webapp.config import Config; print(Config.from_env().SECRET_KEY)"


def test_development_processes_started_at_once_share_one_key(tmp_path):
    """`make run` serves two gunicorn workers: a key drawn per process failed
    the CSRF check of every form posted to the other one."""
    key_file = tmp_path / "instance" / "secret_key"
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "RCS_ENV")}
    env["SECRET_KEY_FILE"] = str(key_file)
    processes = [subprocess.Popen([sys.executable, "-c", _PRINT_KEY], env=env, stdout=subprocess.PIPE, text=True)
                 for _ in range(6)]
    keys = {process.communicate(timeout=60)[0].strip() for process in processes}
    assert len(keys) == 1 and len(keys.pop()) == 64
    assert key_file.stat().st_mode & 0o777 == 0o600
    # No draft left behind by the processes that lost the race.
    assert [path.name for path in key_file.parent.iterdir()] == ["secret_key"]
    again = subprocess.run([sys.executable, "-c", _PRINT_KEY], env=env, capture_output=True, text=True, check=True)
    assert again.stdout.strip() == key_file.read_text().strip()


def test_an_empty_key_file_is_refused_with_its_name(tmp_path):
    (tmp_path / "secret_key").write_text("")
    with pytest.raises(RuntimeError, match="secret_key is empty"):
        Config.from_env({"SECRET_KEY_FILE": str(tmp_path / "secret_key")})


def test_a_key_given_wins_and_testing_draws_its_own(tmp_path):
    key_file = tmp_path / "secret_key"
    assert Config.from_env({"SECRET_KEY": "given", "SECRET_KEY_FILE": str(key_file)}).SECRET_KEY == "given"
    first, second = (Config.from_env({"RCS_ENV": "testing", "SECRET_KEY_FILE": str(key_file)}).SECRET_KEY
                     for _ in range(2))
    assert first != second and not key_file.exists()


def test_health_endpoint(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}
