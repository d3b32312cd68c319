"""The benches' server: the real settings, plus one bare view to compare against."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
