"""End-to-end ingestion of one folder, with the CPU time of each of its processes.

``python -m bench.experiments.ingest_cpu CORPUS_DIR [--code CHECKOUT]``

Runs `policy-archive ingest -q --timings CORPUS_DIR` into a new temporary archive, with the
code of CHECKOUT (default: this one; give another `git worktree` to compare two commits in
the same minutes, alternating). Samples the CPU seconds of the ingesting process (the
single writer: database and index) and of its extraction workers twice a second, and
prints them with the wall time and the CLI's own timings. A writer near its wall time is
the bottleneck; a worker well under it waits for the writer.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from bench.run import BIN

ROOT = Path(__file__).resolve().parents[2]
TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float | None:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / TICKS  # user + system


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):  # the task ended meanwhile
            found += [int(child) for child in (task / "children").read_text().split()]
    return found


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--code", type=Path, default=ROOT)
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="ingest-cpu-"))
    env = {
        **os.environ,
        "ARCHIVE_DATABASE_URL": f"sqlite:///{work / 'archive.db'}",
        "ARCHIVE_INDEX_DIR": str(work / "index"),
        "PYTHONPATH": str(args.code),
    }
    command = [str(BIN / "policy-archive"), "ingest", "-q", "--timings", str(args.corpus)]
    try:
        started = time.perf_counter()
        process = subprocess.Popen(
            command,
            env=env,
            cwd=args.code,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        used: dict[int, float] = {}
        while process.poll() is None:
            for pid in [process.pid, *children(process.pid)]:
                if (seconds := cpu_seconds(pid)) is not None:
                    used[pid] = seconds
            time.sleep(0.5)
        out, err = process.communicate()
        wall = time.perf_counter() - started
    finally:
        shutil.rmtree(work, ignore_errors=True)
    writer = used.pop(process.pid, None)
    print(
        json.dumps(
            {
                "code": str(args.code),
                "wall_s": round(wall, 1),
                "writer_cpu_s": writer,
                "worker_cpu_s": sorted((round(s, 1) for s in used.values() if s), reverse=True),
                "timings": json.loads(out.strip().splitlines()[-1]) if out.strip() else None,
                "summary": err.strip().splitlines()[-1] if err.strip() else None,
            }
        )
    )


if __name__ == "__main__":
    main()
