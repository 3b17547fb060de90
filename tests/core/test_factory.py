"""The application factory and its configuration."""
import pytest

from webapp import create_app
from webapp.config import Config


def test_factory_without_argument_gives_a_working_development_app(tmp_path, monkeypatch):
    """create_app() with no argument serves the home page on embedded defaults."""
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'dev.sqlite3'}")
    monkeypatch.setenv("SEARCH_INDEX_PATH", str(tmp_path / "search.sqlite3"))
    monkeypatch.delenv("SECRET_KEY", raising=False)
    app = create_app()
    assert app.config["RCS_ENV"] == "development"
    assert app.config["SECRET_KEY"]  # generated for development
    response = app.test_client().get("/")
    assert response.status_code == 200
    assert (tmp_path / "dev.sqlite3").exists()


def test_production_refuses_to_start_without_secret_key():
    """Outside development, a missing SECRET_KEY stops the start-up."""
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        Config.from_env({"RCS_ENV": "production"})


def test_config_reads_typed_values_from_environment():
    """Integers, booleans and lists are parsed from their environment strings."""
    config = Config.from_env({"CONTENT_MAX_AGE_DAYS": "30", "AUTO_MIGRATE": "false",
                              "LANGUAGES": "fr, en", "RASA_TIMEOUT": "2.5"})
    assert config.CONTENT_MAX_AGE_DAYS == 30
    assert config.AUTO_MIGRATE is False
    assert config.LANGUAGES == ("fr", "en")
    assert config.RASA_TIMEOUT == 2.5


def test_production_does_not_migrate_on_start():
    """Schema changes in production happen through `make setup`, not at boot."""
    config = Config.from_env({"RCS_ENV": "production", "SECRET_KEY": "x"})
    assert config.AUTO_MIGRATE is False


def test_health_endpoint(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}
