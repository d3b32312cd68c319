"""Serving on every core: `python -m config.workers [-b HOST] [-p PORT]`.

One daphne process runs all of Django's database work on one thread, so it uses one core
(docs/performance.md). This starts `WORKERS` daphne processes (default: the machine's
cores), each as `make run` starts one (`config.serve`: the access log that names nobody,
umask 077), all accepting on one listening socket that this process opens and hands to
them (daphne's `--fd`): the kernel spreads the connections, so no proxy needs to know
about the workers. A worker that dies is started again; SIGTERM or SIGINT stops them all.

More than one worker needs the Redis channel layer (`REDIS_URL`): an event written in one
process must reach the sockets that another holds. With SQLite, several processes meet
SQLite's own lock; PostgreSQL (`DATABASE_URL`) is the database for this (docs/deploy.md).
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import time

RESTART_PAUSE = 1.0  # seconds before a worker that died is started again


def worker_count(environ=os.environ) -> int:
    raw = environ.get("WORKERS", "").strip()
    if not raw:
        return os.cpu_count() or 1
    try:
        count = int(raw)
    except ValueError:
        raise SystemExit(f"WORKERS must be a whole number, not {raw!r}") from None
    if count < 1:
        raise SystemExit("WORKERS must be at least 1")
    return count


def check_layer(count: int, environ=os.environ) -> None:
    if count > 1 and not environ.get("REDIS_URL"):
        raise SystemExit(
            f"WORKERS={count} needs REDIS_URL: without the Redis channel layer an event "
            "written in one worker never reaches the sockets of another. Set REDIS_URL, "
            "or WORKERS=1."
        )
    if count > 1 and not environ.get("DATABASE_URL"):
        print(
            "config.workers: several workers on SQLite queue on its file lock; "
            "use PostgreSQL (DATABASE_URL) for a school.",
            file=sys.stderr,
            flush=True,
        )


def listening_socket(host: str, port: int) -> socket.socket:
    if ":" in host:  # daphne adopts the socket as IPv4 (Twisted's fd endpoint)
        raise SystemExit("config.workers listens on IPv4; let the proxy take IPv6")
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(1024)
    sock.set_inheritable(True)
    return sock


def worker_command(fd: int, extra: list[str]) -> list[str]:
    return [
        sys.executable,
        "-m",
        "config.serve",
        "--fd",
        str(fd),
        "--websocket_connect_timeout",
        "20",
        *extra,
        "config.asgi:application",
    ]


class Workers:
    def __init__(self, sock: socket.socket, count: int, extra: list[str]):
        self.sock = sock
        self.count = count
        self.command = worker_command(sock.fileno(), extra)
        self.processes: list[subprocess.Popen] = []
        self.stopping = False

    def start_one(self) -> subprocess.Popen:
        # Our own interpreter and module, the fd we opened: nothing from outside.
        return subprocess.Popen(self.command, pass_fds=(self.sock.fileno(),))  # noqa: S603

    def run(self) -> int:
        self.processes = [self.start_one() for _ in range(self.count)]
        host, port = self.sock.getsockname()[:2]
        print(
            f"config.workers: {self.count} worker(s) on http://{host}:{port} "
            f"(pids {', '.join(str(p.pid) for p in self.processes)})",
            flush=True,
        )
        while not self.stopping:
            for i, process in enumerate(self.processes):
                if process.poll() is not None and not self.stopping:
                    print(
                        f"config.workers: worker {process.pid} ended ({process.returncode}); "
                        "starting another",
                        file=sys.stderr,
                        flush=True,
                    )
                    time.sleep(RESTART_PAUSE)
                    if not self.stopping:
                        self.processes[i] = self.start_one()
            time.sleep(0.5)
        return self.stop()

    def ask_to_stop(self, *_args) -> None:
        self.stopping = True

    def stop(self) -> int:
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
        deadline = time.monotonic() + 20
        for process in self.processes:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.sock.close()
        return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m config.workers", description=__doc__)
    parser.add_argument("-b", "--bind", default="127.0.0.1", help="address (127.0.0.1)")
    parser.add_argument("-p", "--port", type=int, default=8000, help="port (8000)")
    args, extra = parser.parse_known_args(argv)  # the rest goes to each daphne
    count = worker_count()
    check_layer(count)
    workers = Workers(listening_socket(args.bind, args.port), count, extra)
    signal.signal(signal.SIGTERM, workers.ask_to_stop)
    signal.signal(signal.SIGINT, workers.ask_to_stop)
    return workers.run()


if __name__ == "__main__":
    sys.exit(main())
