"""What the server writes is its own (issue 19): the data directory 0700, the database
(and SQLite's -wal and -shm), the secret key and every stored photo 0600, the photos'
folders 0700, whatever the umask."""

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from classroom import actions
from logbook.models import Photo
from planboard import actions as planboard_actions
from tests.images import jpeg_bytes

ROOT = Path(__file__).resolve().parents[1]


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def folders_up_to_media(path) -> list[Path]:
    """The photo's folders, MEDIA_ROOT included."""
    media = Path(settings.MEDIA_ROOT)
    return [folder for folder in Path(path).parents if folder.is_relative_to(media)]


def assert_private(field_file):
    assert mode(field_file.path) == 0o600, field_file.name
    for folder in folders_up_to_media(field_file.path):
        assert mode(folder) == 0o700, folder


def test_an_uploaded_photo_and_its_thumbnail_are_the_servers_own(world, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "nieuw" / "media"  # made by the first photo
    old_umask = os.umask(0o022)  # a usual umask: files 0644, folders 0755
    try:
        client.force_login(world.pupil.user)
        upload = SimpleUploadedFile("werk.jpg", jpeg_bytes(), content_type="image/jpeg")
        response = client.post(
            "/api/photos/", {"image": upload, "goal": world.goal.pk, "lesson": world.lesson.pk}
        )
        assert response.status_code == 201, response.content
        photo = Photo.objects.get(pk=response.json()["id"])
        assert_private(photo.image)
        assert_private(photo.thumbnail)
        # A pupil's portrait and a kleuter's planbord photo, saved by the same storage.
        pupil = actions.set_pupil_photo(world.pupil, SimpleUploadedFile("n.jpg", jpeg_bytes()))
        assert_private(pupil.photo)
        plan_photo = planboard_actions.add_plan_photo(
            pupil=world.pupil, upload=SimpleUploadedFile("toren.jpg", jpeg_bytes())
        )
        assert_private(plan_photo.image)
        assert_private(plan_photo.thumbnail)
    finally:
        os.umask(old_umask)


# Run with the product's settings in a process of its own: the data directory and
# database of a first start, with a usual umask; SQLite's -wal and -shm exist while a
# connection is open.
FIRST_START = """
import json, os, stat, django
django.setup()
from django.conf import settings
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE t (x)")
    cursor.execute("INSERT INTO t VALUES (1)")
    data = settings.DATA_DIR
    names = ["", "secret_key", "db.sqlite3", "db.sqlite3-wal", "db.sqlite3-shm"]
    print(json.dumps({n: stat.S_IMODE(os.stat(data / n).st_mode) for n in names}))
"""


def first_start(data_dir: Path) -> dict[str, int]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SECRET_KEY", "DATABASE_URL", "SQLITE_TEST_NAME"}
    }
    env.update(LEERREGIE_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="config.settings")
    result = subprocess.run(
        [sys.executable, "-c", FIRST_START],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=lambda: os.umask(0o022),
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_a_first_start_makes_the_data_directory_and_the_database_private(tmp_path):
    modes = first_start(tmp_path / "nieuw" / "leerregie")
    assert modes == {
        "": 0o700,
        "secret_key": 0o600,
        "db.sqlite3": 0o600,
        "db.sqlite3-wal": 0o600,
        "db.sqlite3-shm": 0o600,
    }


def test_a_data_directory_and_database_made_before_are_tightened(tmp_path):
    data = tmp_path / "leerregie"
    data.mkdir(mode=0o755)
    data.chmod(0o755)
    (data / "db.sqlite3").touch()
    (data / "db.sqlite3").chmod(0o644)
    modes = first_start(data)
    assert modes[""] == 0o700 and modes["db.sqlite3"] == 0o600
    assert modes["db.sqlite3-wal"] == 0o600 and modes["db.sqlite3-shm"] == 0o600
