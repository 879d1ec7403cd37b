"""A throwaway PostgreSQL server for the test session (recipe: shared/FACTS.md).

initdb and pg_ctl refuse to run as root, so as root they run as ``postgres``.
"""

import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from sqlalchemy import text

PG_BIN_DIRS = [Path(p) for p in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)]


def find_pg_bin() -> Path | None:
    override = os.environ.get("COORDBOARD_PG_BIN")
    candidates = [Path(override)] if override else PG_BIN_DIRS
    for folder in candidates:
        if (folder / "initdb").exists() and (folder / "pg_ctl").exists():
            return folder
    found = shutil.which("initdb")
    return Path(found).parent if found else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class PgServer:
    def __init__(self, bin_dir: Path) -> None:
        self.bin = bin_dir
        self.base = Path(tempfile.mkdtemp(prefix="coordboard-pg-"))
        self.port = _free_port()
        self.as_root = os.geteuid() == 0
        self.version = 0  # server_version_num, once started

    def _run(self, *args: str) -> None:
        command = [str(self.bin / args[0]), *args[1:]]
        if self.as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, text=True)

    def start(self) -> None:
        if self.as_root:
            shutil.chown(self.base, "postgres", "postgres")
        self.base.chmod(0o700)
        self._run("initdb", "-D", f"{self.base}/data", "-U", "postgres", "-A", "trust",
                  "-E", "UTF8", "--locale=C.UTF-8", "--no-sync")
        self._run("pg_ctl", "-D", f"{self.base}/data", "-l", f"{self.base}/log", "-w", "-o",
                  f"-k {self.base} -p {self.port} -c listen_addresses='' -c fsync=off "
                  "-c full_page_writes=off -c synchronous_commit=off", "start")

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://postgres@/{database}?host={self.base}&port={self.port}"

    def clone(self, conn: Any, name: str, template: str = "coordboard_template") -> None:
        """A new database ``name`` as a copy of ``template``, its files copied: PostgreSQL
        15's default strategy (WAL_LOG) also writes every page of the copy to the WAL,
        67 ms against 33 ms a database here, for each of the suite's hundreds."""
        strategy = " STRATEGY FILE_COPY" if self.version >= 150000 else ""
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE {template}{strategy}'))

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", f"{self.base}/data", "-m", "immediate", "-w", "stop")
        finally:
            # Hundreds of test databases are gigabytes of files: removing them took the
            # last test of each worker 16-40 s. They are removed in the background.
            subprocess.Popen(["rm", "-rf", str(self.base)], start_new_session=True,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
