"""robots.txt: may the archive fetch this URL? (RFC 9309, parsed by Protego.)

Read once per origin and kept for the run. A missing robots.txt (any 4xx) allows all;
a server error means "not now", so the page is not fetched either (RFC 9309 §2.3.1.4).
"""

from __future__ import annotations

import threading
from urllib.parse import urlsplit

import httpx
from protego import Protego

ROBOTS_MAX_BYTES = 512 * 1024  # RFC 9309 asks crawlers to read at least 500 KiB
AGENT_TOKEN = "PolicyArchive"


class RobotsRules:
    def __init__(self, client: httpx.Client):
        self._client = client
        self._rules: dict[str, Protego | bool] = {}  # origin -> parsed rules, or allow/deny all
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def allows(self, url: str) -> bool:
        parts = urlsplit(url)
        origin = f"{parts.scheme.lower()}://{parts.netloc.lower()}"
        with self._guard:
            lock = self._locks.setdefault(origin, threading.Lock())
        with lock:  # one robots.txt request per origin, however many pages wait for it
            if origin not in self._rules:
                self._rules[origin] = self._read(origin)
        rules = self._rules[origin]
        return rules if isinstance(rules, bool) else rules.can_fetch(url, AGENT_TOKEN)

    def _read(self, origin: str) -> Protego | bool:
        try:
            with self._client.stream("GET", f"{origin}/robots.txt") as response:
                if 400 <= response.status_code < 500:
                    return True
                if response.status_code >= 500:
                    return False
                body = b""
                for chunk in response.iter_bytes():
                    body += chunk
                    if len(body) >= ROBOTS_MAX_BYTES:
                        break
        except httpx.HTTPError:
            return True  # unreachable robots.txt: the page fetch will say why
        return Protego.parse(body[:ROBOTS_MAX_BYTES].decode("utf-8", "replace"))
