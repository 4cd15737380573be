"""A generator of hostile and broken input files: binary, truncated, mislabelled, huge,
nested, bombs, links and special files. Each file is unique, so each must end as its own
article or its own error line.

`python -m tests.hostile.inputs DIR` writes the set (the sentinel goes beside DIR).
"""

from __future__ import annotations

import gzip
import os
import random
import sys
import zlib
from pathlib import Path

SENTINEL_TOKEN = "sentinel-8f3a1c-outside-the-input"
ARTICLE = (
    "Ministers weigh new rules for data protection {n}\n\nBy Ada Quillon\n\n"
    "The ministry said on Tuesday that rules on privacy and surveillance would change, "
    "after a consultation on the budget for digital services ({n}).\n\n"
    "“We will publish the draft in spring,” said Ruth Okafor, the minister for digital "
    "affairs.\n"
)


def _article(n: int) -> str:
    return ARTICLE.format(n=n)


def write_sentinel(outside: Path) -> Path:
    outside.mkdir(parents=True, exist_ok=True)
    sentinel = outside / "secret.txt"
    sentinel.write_text(f"Private notes\n\n{SENTINEL_TOKEN} " * 20)
    feed = outside / "secret.xml"
    feed.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>x</title><item>'
        f"<title>{SENTINEL_TOKEN}</title><link>https://example.org/s</link>"
        f"<description>{(SENTINEL_TOKEN + ' words ') * 60}</description></item></channel></rss>"
    )
    return sentinel


def _bomb_warc(path: Path, expanded_bytes: int) -> None:
    """A gzipped WARC record whose payload inflates to `expanded_bytes` of zeros."""
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n"
    length = len(http) + expanded_bytes
    head = (
        "WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:bomb>\r\n"
        "WARC-Date: 2025-01-01T00:00:00Z\r\nWARC-Target-URI: https://example.org/bomb\r\n"
        f"Content-Type: application/http; msgtype=response\r\nContent-Length: {length}\r\n\r\n"
    ).encode()
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)  # gzip framing
    with path.open("wb") as handle:
        handle.write(compressor.compress(head + http))
        chunk = b"\0" * (1 << 24)
        left = expanded_bytes
        while left > 0:
            handle.write(compressor.compress(chunk[: min(left, len(chunk))]))
            left -= len(chunk)
        handle.write(compressor.compress(b"\r\n\r\n"))
        handle.write(compressor.flush())


def generate(folder: Path, *, bomb_bytes: int = 300 * 2**20, huge_line_mb: int = 50) -> dict:
    """Write the hostile set into `folder`; returns {name: what it is}."""
    rng = random.Random(20261130)
    folder.mkdir(parents=True, exist_ok=True)
    outside = folder.parent / f"{folder.name}-outside"
    sentinel = write_sentinel(outside)
    made: dict[str, str] = {}

    def put(name: str, data: bytes | str, kind: str) -> None:
        path = folder / name
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        made[name] = kind

    for n in range(40):
        ext = [".txt", ".html", ".md", ".xml", ".warc", ".warc.gz"][n % 6]
        put(f"binary-{n:02}{ext}", rng.randbytes(rng.randint(1, 40_000)), "random bytes")
    for n in range(20):
        data = (_article(n) + "Zürich — café, naïve, 東京, Ελλάδα.").encode()
        put(f"truncated-{n:02}.txt", data[: len(data) - 1 - n % 3], "UTF-8 cut mid-character")
    for n in range(10):
        put(f"utf16-{n:02}.txt", _article(100 + n).encode("utf-16-le"), "UTF-16 without BOM")
        put(f"utf16be-{n:02}.txt", _article(110 + n).encode("utf-16-be"), "UTF-16 BE without BOM")
        html = (
            f"<html><head><meta charset='utf-8'><title>T{n}</title></head>"
            f"<body><p>{_article(120 + n)} Straße façade</p></body></html>"
        )
        put(f"mislabelled-{n:02}.html", html.encode("cp1252", "replace"), "cp1252 labelled UTF-8")
        put(
            f"latin-{n:02}.html",
            html.replace("utf-8", "iso-8859-1").encode(),
            "UTF-8 labelled Latin-1",
        )
        put(
            f"shiftjis-{n:02}.txt",
            ("規制 " + _article(130 + n)).encode("shift_jis", "replace"),
            "Shift-JIS",
        )
    for n in range(10):
        depth = [100, 1_000, 10_000, 100_000][n % 4]
        put(
            f"nested-{n:02}.html",
            "<html><body>"
            + "<div>" * depth
            + _article(200 + n)
            + "</div>" * depth
            + "</body></html>",
            f"{depth} nested divs",
        )
        put(
            f"nobody-{n:02}.html",
            f"<html><head><title>Only a head {n}</title></head></html>",
            "HTML without body",
        )
        put(
            f"scripts-{n:02}.html",
            f"<html><body><script>var x={n};</script></body></html>",
            "only script",
        )
        put(f"comment-{n:02}.html", f"<!-- {n} -->", "only a comment")
        put(
            f"unclosed-{n:02}.html",
            f"<html><body><p>{_article(210 + n)}<p><b><i><table><tr><td>",
            "unclosed tags",
        )
    for n in range(10):
        put(f"empty-{n:02}.txt", b"", "empty")
        put(f"blank-{n:02}.txt", " \n\t\r\n" * (n + 1), "whitespace only")
        put(f"bang-{n:02}.txt", f"Title {n}\n\n" + "!!! ??? ... " * (n + 1), "no words")
        put(f"nul-{n:02}.txt", _article(300 + n).replace(" ", "\0", n + 1), "NUL bytes")
        put(f"bom-{n:02}.txt", "\ufeff" * (n + 1), "BOM only")
        put(f"cr-{n:02}.txt", _article(310 + n).replace("\n", "\r"), "CR line endings")
        put(f"nospace-{n:02}.txt", "x" * (100_000 * (n + 1)), "one long word")
    front = [
        "title: [unclosed",
        "date: 2024-13-45",
        "date: 2024-02-30",
        "title: !!python/object:os.system",
        "url: 'http://[::1'",
        "url: javascript:alert(1)",
        ": :",
        "- a\n- b",
        "title: *alias",
        "a: &a [*a, *a]",
    ]
    for n, meta in enumerate(front):
        put(f"front-{n:02}.md", f"---\n{meta}\n---\n{_article(400 + n)}", f"front matter {meta!r}")
    laughs = "a: &a ['lol','lol','lol','lol','lol','lol','lol','lol','lol']\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}" + f",*{chr(97 + i)}" * 8 + "]\n"
        for i in range(8)
    )
    put("front-yaml-bomb.md", f"---\n{laughs}title: x\n---\n{_article(450)}", "YAML alias bomb")
    billion = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + "".join(
            f'<!ENTITY lol{i} "' + f"&lol{i - 1 if i > 1 else ''};" * 10 + '">'
            for i in range(1, 10)
        )
        + ']><rss version="2.0"><channel><title>&lol9;</title></channel></rss>'
    )
    feeds = {
        "billion-laughs.xml": (billion, "billion laughs feed"),
        "xxe.xml": (
            f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file://{sentinel}">]>'
            '<rss version="2.0"><channel><title>t</title><item><title>&x;</title>'
            f"<link>https://example.org/x</link><description>&x; {'words ' * 120}</description>"
            "</item></channel></rss>",
            "external entity feed",
        ),
        "path.xml": (str(sentinel.with_suffix(".xml")), "feed naming a file"),
        "devzero.xml": ("/dev/zero", "feed naming /dev/zero"),
        "truncated.xml": (
            '<?xml version="1.0"?><rss version="2.0"><channel><title>t</tit',
            "truncated feed",
        ),
        "wrongroot.xml": ('<?xml version="1.0"?><html><body>x</body></html>', "not a feed"),
        "url.xml": ("https://example.org/feed.xml", "feed naming a URL"),
    }
    for name, (text, kind) in feeds.items():
        put(name, text, kind)
    for n in range(10):
        items = "".join(
            f"<item><title>Entry {n}-{i}</title><link>http://[bad/{i}</link>"
            f"<description>{_article(500 + n * 10 + i) * 3}</description></item>"
            for i in range(3)
        )
        put(
            f"badlinks-{n:02}.xml",
            f'<?xml version="1.0"?><rss version="2.0"><channel><title>F{n}</title>'
            f"{items}</channel></rss>",
            "feed entries with invalid links",
        )
    put("empty.warc", b"", "zero-byte WARC")
    put("empty.warc.gz", gzip.compress(b""), "empty gzip WARC")
    put("garbage.warc.gz", gzip.compress(rng.randbytes(5000)), "gzip of garbage")
    _bomb_warc(folder / "bomb.warc.gz", bomb_bytes)
    made["bomb.warc.gz"] = f"gzip bomb inflating to {bomb_bytes:,} bytes"
    with (folder / "huge-line.txt").open("wb") as handle:
        handle.write(b"Huge\n\n")
        handle.write(b"word " * (huge_line_mb * 2**20 // 5))
    made["huge-line.txt"] = f"{huge_line_mb} MB single line"
    put("big-line.txt", "Big\n\n" + "The committee met again. " * 30_000, "750 KB single line")
    for n in range(5):
        (folder / f"loop-{n}.txt").symlink_to(folder / f"loop-{n}.txt")
        made[f"loop-{n}.txt"] = "symlink loop"
        (folder / f"dangling-{n}.txt").symlink_to(folder / f"missing-{n}.txt")
        made[f"dangling-{n}.txt"] = "dangling symlink"
        (folder / f"outside-{n}.txt").symlink_to(sentinel)
        made[f"outside-{n}.txt"] = "symlink out of the folder"
    (folder / "zero.txt").symlink_to("/dev/zero")
    made["zero.txt"] = "symlink to /dev/zero"
    (folder / "passwd.txt").symlink_to("/etc/passwd")
    made["passwd.txt"] = "symlink to /etc/passwd"
    (folder / "outside-dir").symlink_to(outside)
    made["outside-dir"] = "symlinked folder out of the folder"
    for n in range(3):
        os.mkfifo(folder / f"fifo-{n}.txt")
        made[f"fifo-{n}.txt"] = "named pipe"
    for n in range(20):
        put(f"good-{n:02}.txt", _article(900 + n), "a good article")
    return made


if __name__ == "__main__":
    target = Path(sys.argv[1])
    made = generate(target)
    print(f"{len(made)} hostile inputs in {target}")
