#!/bin/bash
# Peak memory (VmHWM) of one server process after a fixed request sequence, to compare
# two commits on one kept archive (`python -m bench.run --keep` leaves it in its work folder):
# the warm mix once, the cold mix (360 requests), then 32 clients on the warm mix for 40 s.
#   bench/experiments/server_memory.sh CHECKOUT PORT ARCHIVE_DIR N
# CHECKOUT is the code to serve (a `git worktree` for an older commit); run from the repo.
set -euo pipefail
CHECKOUT=$(cd "$1" && pwd); PORT=$2; B=$(cd "$3" && pwd); N=$4
REPO=$(pwd); PYTHON=${PYTHON:-$REPO/.venv/bin/python}
(cd "$CHECKOUT" && PYTHONPATH=$CHECKOUT ARCHIVE_DATABASE_URL=sqlite:///$B/archive.db \
  ARCHIVE_INDEX_DIR=$B/index ARCHIVE_SITE_URL=http://127.0.0.1:$PORT timeout 600 \
  "$PYTHON" -m app serve --host 127.0.0.1 --port "$PORT" > /dev/null 2>&1 &)
for _ in $(seq 1 60); do sleep 2; curl -s -o /dev/null "http://127.0.0.1:$PORT/healthz" && break; done
PID=$(pgrep -f "serve --host 127.0.0.1 --port $PORT" | tail -1)
PORT=$PORT PID=$PID ARCHIVE=$B N=$N timeout 400 "$PYTHON" - <<'PY'
import os, sys, threading, time, httpx, itertools
sys.path.insert(0, ".")
from pathlib import Path
from bench.run import build_cold_mix
base = f"http://127.0.0.1:{os.environ['PORT']}"
urls = ["/search?q=policy", "/search?q=tisokaley", "/search?q=climate+investment", "/search?q=%22data+protection%22", "/search?q=government&speaker=eva-koham", "/search?q=regulation&theme=regulation-governance", "/search?q=regulation&sort=newest", "/search?q=policy&page=100", "/quotes?q=policy", "/quotes?q=government&speaker=eva-koham", "/quotes?q=regulation&theme=regulation-governance"]
c = httpx.Client(base_url=base, timeout=120)
for u in urls: c.get(u)
mix = build_cold_mix(Path(os.environ["ARCHIVE"]) / "archive.db", int(os.environ["N"]), 1, 30, set())
for _, p in mix["requests"]: c.get(p)
stop = time.time() + 40
def client(i):
    cc = httpx.Client(base_url=base, timeout=120)
    for u in itertools.cycle(urls[i % 11:] + urls[:i % 11]):
        if time.time() > stop: break
        cc.get(u)
ts = [threading.Thread(target=client, args=(i,)) for i in range(32)]
[t.start() for t in ts]; [t.join() for t in ts]
s = open(f"/proc/{os.environ['PID']}/status").read()
print("VmHWM", s.split("VmHWM:")[1].split("\n")[0].strip())
PY
pkill -f "serve --host 127.0.0.1 --port $PORT"
