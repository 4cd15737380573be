"""URL normalisation for dedupe: one spelling per page, whatever link it was reached by."""

import contextlib
import re
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

_DEFAULT_PORTS = {"http": 80, "https": 443}
_TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "msclkid",
        "yclid",
        "mc_cid",
        "mc_eid",
        "ref",
        "ref_src",
        "ref_url",
        "cmpid",
        "_ga",
        "_gl",
        "igshid",
        "mkt_tok",
        "ocid",
        "ncid",
        "smid",
        "sr_share",
        "spm",
    }
)
_TRACKING_PREFIXES = ("utm_", "pk_", "hsa_", "__hs", "oly_")
# Characters left as they are in a path; everything else is percent-encoded once, uppercase hex.
_PATH_SAFE = "/:@!$&'()*+,;=-._~"
_REPEATED_SLASHES = re.compile(r"/{2,}")
_PERCENT_ESCAPE = re.compile(r"%[0-9a-fA-F]{2}")


def is_valid_url(url: str) -> bool:
    """False for what cannot be a link (an unclosed IPv6 bracket, a port out of range)."""
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018 - parsing the port is the check
    except ValueError:
        return False
    return bool(parts.scheme and parts.netloc) or not parts.scheme


def is_web_url(url: str) -> bool:
    """An http(s) link with a host: the only kind an article's original may be.
    (`javascript:` and `data:` URLs from front matter or feeds would be live links.)"""
    if not is_valid_url(url):
        return False
    parts = urlsplit(url.strip())
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


def canonical_url(url: str) -> str:
    """Normalise a URL so that links to the same page compare equal.

    Lowercases scheme and host, drops default ports, fragments, user info and tracking
    parameters, removes a trailing slash (except for the root), and sorts the query.
    Non-HTTP URLs come back stripped of surrounding whitespace only.
    """
    url = url.strip()
    if not is_valid_url(url):
        return url  # kept as given: it still dedupes against itself
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        return url

    host = parts.hostname.rstrip(".").lower()
    # An odd host that IDNA rejects is kept as it is; it still dedupes against itself.
    with contextlib.suppress(UnicodeError):
        host = host.encode("idna").decode("ascii")
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError:
        port = None
    netloc = host if port in (None, _DEFAULT_PORTS[scheme]) else f"{host}:{port}"

    # Existing escapes are kept (decoding %2F would change the path) but spelled uppercase.
    path = quote(parts.path, safe=_PATH_SAFE + "%")
    path = _PERCENT_ESCAPE.sub(lambda m: m.group().upper(), _REPEATED_SLASHES.sub("/", path))
    if len(path) > 1 and path.endswith("/"):
        path = path.rstrip("/") or "/"
    if not path:
        path = "/"

    params = [
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if not _is_tracking(key)
    ]
    query = urlencode(sorted(params), quote_via=quote)
    return urlunsplit((scheme, netloc, path, query, ""))


def _is_tracking(key: str) -> bool:
    key = key.lower()
    return key in _TRACKING_PARAMS or key.startswith(_TRACKING_PREFIXES)
