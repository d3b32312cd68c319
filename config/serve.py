"""The server: `python -m config.serve [daphne's options] config.asgi:application`.

daphne's own command line (`make run` and docs/deploy.md start it so), with two
differences:

- The access log names nobody. daphne writes each request's full URI; here a line has
  the path without its query string, and below /klas/<code>/ only the login's own steps
  (`kies/`, `code/`): anything else there (an old login card's /klas/<code>/<token>/,
  a class photo's key) is written as `/klas/<code>/...`. Each line is flushed, so a log
  read while the server runs is complete.
- The process's umask is 077: whatever the server writes beyond what the settings
  already give a mode (the database, photos, the secret key) is its own. Unix sockets
  are unaffected (Twisted gives them 0666 itself).
- A write's realtime messages are handed to the server's event loop, which sends them in
  order; the write does not wait for them (classroom/realtime/handover.py).
"""

from __future__ import annotations

import os
import re

from daphne import cli
from daphne.access import AccessLogGenerator

from classroom.realtime import handover

_LOGIN_STEPS = {"", "kies", "code"}
_CLASS_PATH = re.compile(r"^(/klas/[^/]+/)([^/]*)(/?)(.*)$")


def loggable_path(uri: str) -> str:
    """`uri` as the access log may keep it: no query string, nothing below a class's
    URL that could name a pupil."""
    path = uri.partition("?")[0].partition("#")[0]
    found = _CLASS_PATH.match(path)
    if found is None:
        return path
    base, step, slash, rest = found.groups()
    if step in _LOGIN_STEPS and not rest:
        return path
    return base + "..."


class AccessLog(AccessLogGenerator):
    def __call__(self, protocol, action, details):
        if "path" in details:
            details = {**details, "path": loggable_path(str(details["path"]))}
        super().__call__(protocol, action, details)

    def write_entry(self, *args, **kwargs):
        super().write_entry(*args, **kwargs)
        self.stream.flush()


def main() -> None:
    os.umask(0o077)
    # A write's realtime messages go to this server's event loop; the write does not wait.
    handover.enable()
    cli.AccessLogGenerator = AccessLog
    cli.CommandLineInterface.entrypoint()


if __name__ == "__main__":
    main()
