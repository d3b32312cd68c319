"""Loaded by pytest with `-p config.testenv`, before Django's settings are read.

Every test run gets its own data directory (secret key, media, a file-based SQLite test
database that the browser tests' daphne shares) and its own Redis key prefix, so runs
never touch a developer's data or each other.
"""

import atexit
import os
import shutil
import tempfile

_data = tempfile.mkdtemp(prefix="leerregie-test-")
atexit.register(shutil.rmtree, _data, ignore_errors=True)

os.environ["LEERREGIE_DATA_DIR"] = _data
os.environ.setdefault("SECRET_KEY", "test-only-secret-key-" + "x" * 40)
os.environ["SQLITE_TEST_NAME"] = os.path.join(_data, "test-db.sqlite3")
os.environ["REDIS_PREFIX"] = f"leerregie-test-{os.getpid()}"
os.environ.pop("DEBUG", None)
