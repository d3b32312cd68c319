"""Settings for the browser tests' daphne: the product's settings, with the same fast
password hasher as the test process (real hashing costs ~0.25 s a password, on every
teacher the tests make and every teacher login). The tests drive pages, sockets and
data; how Django hashes a password is Django's, and the product's own settings are
checked in tests/test_health_and_settings.py."""

from config.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# The school year's turn opens a year ahead: the tests turn the year whatever the date.
SCHOOL_YEAR_TURN_WEEKS = 52
