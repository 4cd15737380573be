"""A throwaway PostgreSQL server for the tests: Debian's binaries, a temporary cluster.

initdb refuses to run as root, so as root the cluster belongs to the `postgres` user (made
by Debian's package). The server listens on a free loopback port with fsync off: nothing
in it needs to survive a crash. Each test gets its own database, dropped afterwards.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path

# Debian keeps the server binaries out of PATH, one folder per major version.
DEBIAN_BINARIES = "/usr/lib/postgresql/*/bin"


class PostgresUnavailable(RuntimeError):
    """No server can be had here; the message says why (the PostgreSQL tests skip)."""


def find_binaries() -> Path:
    """The folder holding initdb and pg_ctl: Debian's newest, else whatever PATH has."""
    found = sorted(
        Path("/").glob(DEBIAN_BINARIES.lstrip("/")),
        key=lambda folder: int(folder.parent.name) if folder.parent.name.isdigit() else 0,
    )
    for folder in reversed(found):
        if (folder / "initdb").exists() and (folder / "pg_ctl").exists():
            return folder
    initdb = shutil.which("initdb")
    if initdb and shutil.which("pg_ctl"):
        return Path(initdb).resolve().parent
    raise PostgresUnavailable(
        "PostgreSQL server binaries not found (Debian package `postgresql`; `make test` "
        "installs it with apt-get when it can)"
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PostgresServer:
    """initdb into a temporary folder, start on a free port, stop and remove on `stop()`."""

    def __init__(self) -> None:
        self.binaries = find_binaries()
        self.folder = Path(tempfile.mkdtemp(prefix="archive-pg-"))
        self.data = self.folder / "data"
        self.port = free_port()
        self._owner: str | None = None
        if os.geteuid() == 0:
            try:
                owner = pwd.getpwnam("postgres")
            except KeyError as error:
                raise PostgresUnavailable(
                    "running as root and there is no `postgres` user to own the test cluster"
                ) from error
            os.chown(self.folder, owner.pw_uid, owner.pw_gid)
            self._owner = "postgres"

    def _run(self, *args: str) -> subprocess.CompletedProcess:
        command = [str(self.binaries / args[0]), *args[1:]]
        if self._owner:
            command = ["runuser", "-u", self._owner, "--", *command]
        return subprocess.run(command, capture_output=True, text=True, timeout=120)

    def start(self) -> PostgresServer:
        initdb = self._run(
            "initdb",
            "-D",
            str(self.data),
            "--auth=trust",
            "--username=postgres",
            "--encoding=UTF8",
            "--lc-collate=C",  # byte order for text, as SQLite compares
            # A UTF-8 character class: under C, text search takes “ ” ’ for letters and
            # “Climate is one word.
            "--lc-ctype=C.UTF-8",
            "--no-sync",
        )
        if initdb.returncode != 0:
            self.remove()
            raise PostgresUnavailable(f"initdb failed: {initdb.stderr.strip()[-500:]}")
        return self._start_server()

    def _start_server(self) -> PostgresServer:
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 "
            f"-c unix_socket_directories={self.folder} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
            "-c max_connections=200"
        )
        started = self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-l",
            str(self.folder / "log"),
            "-w",
            "-o",
            options,
            "start",
        )
        if started.returncode != 0:
            log = (self.folder / "log").read_text(errors="replace")[-800:]
            self.remove()
            raise PostgresUnavailable(f"the test server did not start: {log or started.stderr}")
        return self

    def start_standby(self) -> PostgresServer:
        """A hot standby of this server (pg_basebackup, streaming), on a port of its own:
        every database of this one, read-only, a moment behind."""
        standby = PostgresServer()
        copied = standby._run(
            "pg_basebackup",
            "-h",
            "127.0.0.1",
            "-p",
            str(self.port),
            "-U",
            "postgres",
            "-D",
            str(standby.data),
            "-R",  # standby.signal and primary_conninfo: it follows this server
            "-X",
            "stream",
            "--no-sync",
            # A spread checkpoint waits minutes once earlier tests have dirtied buffers.
            "--checkpoint=fast",
        )
        if copied.returncode != 0:
            standby.remove()
            raise PostgresUnavailable(f"pg_basebackup failed: {copied.stderr.strip()[-500:]}")
        return standby._start_server()

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        self.remove()

    def remove(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def _admin(self, statement: str) -> None:
        import psycopg

        dsn = f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres"
        with psycopg.connect(dsn, autocommit=True) as connection:
            connection.execute(statement)

    def has_extension(self, name: str) -> bool:
        """Whether the server has this extension's files (a database may then create it)."""
        import psycopg

        dsn = f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres"
        with psycopg.connect(dsn) as connection:
            found = connection.execute(
                "SELECT 1 FROM pg_available_extensions WHERE name = %s", (name,)
            ).fetchone()
        return found is not None

    def create_database(self) -> str:
        """A new empty database; returns its SQLAlchemy URL."""
        name = f"archive_{uuid.uuid4().hex[:12]}"
        self._admin(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def drop_database(self, url: str) -> None:
        name = url.rsplit("/", 1)[1]
        self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
