"""The harness's cold mix over HTTP against kept archives, FTS5 beside them.

``python -m bench.experiments.cold_mix_kept N ARCHIVE_DIR [OTHER_ARCHIVE_DIR ...]``

Each ARCHIVE_DIR holds `archive.db` and `index` (`python -m bench.run --keep` leaves them;
the first also `fts5.db`). The cold mix is the one `bench.run` builds for that archive
(same seed, the same requests), asked of a new server per archive and of FTS5, each
request of every server in turn. Use it to compare a changed copy of an archive (after
`policy-archive optimize`, say) with the original in the same minutes.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from bench.run import BIN, Server, archive_env, build_cold_mix, build_workload, measure_cold


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("n", type=int)
    parser.add_argument("archives", type=Path, nargs="+")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--cold-per", type=int, default=30)
    args = parser.parse_args(argv)
    first = args.archives[0]
    workload = build_workload(first / "archive.db", args.n, args.seed)
    asked = {*workload["mix"].values(), *(p for ps in workload["pages"].values() for p in ps)}
    cold = build_cold_mix(first / "archive.db", args.n, args.seed, args.cold_per, asked)
    servers: dict[str, Server] = {}
    folders: dict[str, Path] = {"fts5": first}  # the archive each server answers from
    try:
        for number, archive in enumerate(args.archives):
            name = "archive" if number == 0 else f"archive{number + 1}"
            folders[name] = archive
            servers[name] = Server(
                name,
                [str(BIN / "policy-archive"), "serve"],
                archive_env(archive),
                workload["mix"]["common_word"],
            )
        servers["fts5"] = Server(
            "fts5",
            [sys.executable, "-m", "bench.fts5", "serve", str(first / "fts5.db")],
            dict(os.environ),
            workload["mix"]["common_word"],
        )
        result = measure_cold(servers, cold)
    finally:
        for server in servers.values():
            server.stop()
    fts5 = result["fts5"]
    for name in servers:
        kinds = result[name]["per_kind"]
        print(
            json.dumps(
                {
                    "server": name,
                    "archive": str(folders[name]),
                    "search_p95_ratio": _ratio(result[name], fts5, "p95_ms"),
                    "search_p99_ratio": _ratio(result[name], fts5, "p99_ms"),
                    "p95_ms": {kind: kinds[kind]["p95_ms"] for kind in kinds},
                    "errors": result[name]["errors"],
                    "disk_read_mb": result[name]["disk_read_mb"],
                }
            )
        )


def _ratio(ours: dict, fts5: dict, key: str) -> float:
    return round(ours["search_mix"][key] / fts5["search_mix"][key], 2)


if __name__ == "__main__":
    main()
