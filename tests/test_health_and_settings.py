"""Health endpoint, configuration from the environment, and the deploy checklist."""

import os
import stat
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[1]


def test_healthz_reports_database_and_channel_layer(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "channel_layer": "ok"}


def test_healthz_says_when_the_channel_layer_is_down(client, db, settings):
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            # Port 9 (discard) on loopback: nothing listens, so the connection is refused.
            "CONFIG": {"hosts": ["redis://127.0.0.1:9/0"]},
        }
    }
    from channels.layers import channel_layers

    channel_layers.backends.clear()
    try:
        response = client.get("/healthz")
    finally:
        channel_layers.backends.clear()
    assert response.status_code == 503
    body = response.json()
    assert body["database"] == "ok" and body["channel_layer"].startswith("error")


def _run_settings(env: dict, code: str) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DATABASE_URL"}}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_secret_key_is_generated_once_and_kept_private(tmp_path):
    code = "from django.conf import settings; print(settings.SECRET_KEY)"
    first = _run_settings({"LEERREGIE_DATA_DIR": str(tmp_path)}, code)
    second = _run_settings({"LEERREGIE_DATA_DIR": str(tmp_path)}, code)
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout and len(first.stdout.strip()) >= 50
    key_file = tmp_path / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    # Outside the repository.
    assert ROOT not in key_file.parents


def test_the_default_database_is_sqlite_in_wal_mode_with_immediate_transactions(tmp_path):
    code = (
        "import django; django.setup();"
        "from django.db import connection; c = connection.cursor();"
        "print(c.execute('PRAGMA journal_mode').fetchone()[0],"
        " c.execute('PRAGMA synchronous').fetchone()[0],"
        " connection.settings_dict['OPTIONS']['transaction_mode'],"
        " connection.settings_dict['OPTIONS']['timeout'])"
    )
    result = _run_settings({"LEERREGIE_DATA_DIR": str(tmp_path), "SECRET_KEY": "x" * 50}, code)
    assert result.returncode == 0, result.stderr
    # synchronous=NORMAL is 1.
    assert result.stdout.split() == ["wal", "1", "IMMEDIATE", "20.0"]


def test_postgres_urls_use_psycopg_with_a_pool_and_no_persistent_connections(tmp_path):
    code = (
        "from django.conf import settings; d = settings.DATABASES['default'];"
        "print(d['ENGINE'], d['CONN_MAX_AGE'], d['OPTIONS']['pool']['max_size'])"
    )
    env = {
        "LEERREGIE_DATA_DIR": str(tmp_path),
        "SECRET_KEY": "x" * 50,
        "DATABASE_URL": "postgres://leerregie@db.example:5432/leerregie",
    }
    result = _run_settings(env, code)
    assert result.stdout.split() == ["django.db.backends.postgresql", "0", "20"]


def test_redis_urls_use_the_pubsub_layer_with_a_pool_for_a_whole_school(tmp_path):
    code = (
        "from django.conf import settings; c = settings.CHANNEL_LAYERS['default'];"
        "print(c['BACKEND'], c['CONFIG']['hosts'][0]['max_connections'])"
    )
    env = {
        "LEERREGIE_DATA_DIR": str(tmp_path),
        "SECRET_KEY": "x" * 50,
        "REDIS_URL": "redis://cache.example:6379/0",
    }
    result = _run_settings(env, code)
    backend, pool = result.stdout.split()
    assert backend == "channels_redis.pubsub.RedisPubSubChannelLayer"
    assert int(pool) >= 900


def test_debug_is_off_unless_asked_and_bad_booleans_are_refused(tmp_path):
    code = "from django.conf import settings; print(settings.DEBUG)"
    env = {"LEERREGIE_DATA_DIR": str(tmp_path), "SECRET_KEY": "x" * 50}
    assert _run_settings(env, code).stdout.strip() == "False"
    assert _run_settings({**env, "DEBUG": "1"}, code).stdout.strip() == "True"
    bad = _run_settings({**env, "DEBUG": "maybe"}, code)
    assert bad.returncode != 0 and "DEBUG must be a boolean" in bad.stderr


def _check_deploy(env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**{k: v for k, v in os.environ.items() if k != "SECRET_KEY"}, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_passes_for_the_documented_production_configuration(tmp_path):
    """The variables in docs/deploy.md's example give a clean `check --deploy`."""
    env = {
        "LEERREGIE_DATA_DIR": str(tmp_path),
        "SECRET_KEY": "k" * 30 + "Zq8!x@L2#vB7$nM4%tY6^wE1&rU9*iO3(pA5)sD0",
        "ALLOWED_HOSTS": "leerregie.school.example",
        "HTTPS": "1",
    }
    result = _check_deploy(env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
    deploy_doc = (ROOT / "docs" / "deploy.md").read_text()
    for variable in ("SECRET_KEY", "ALLOWED_HOSTS", "HTTPS", "DATABASE_URL", "REDIS_URL"):
        assert variable in deploy_doc


def test_check_deploy_fails_without_https_settings(tmp_path):
    env = {"LEERREGIE_DATA_DIR": str(tmp_path), "SECRET_KEY": "k" * 60}
    result = _check_deploy(env)
    assert result.returncode != 0
    assert "SECURE_SSL_REDIRECT" in result.stderr + result.stdout


def test_the_suite_runs_on_the_configured_database_as_deployed(db):
    """The same settings the server uses: WAL + IMMEDIATE on SQLite, a pool on Postgres."""
    options = settings.DATABASES["default"]["OPTIONS"]
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"
        assert options["transaction_mode"] == "IMMEDIATE"
    else:
        assert connection.vendor == "postgresql"
        assert options["pool"]["max_size"] >= 10
        assert settings.DATABASES["default"]["CONN_MAX_AGE"] == 0
