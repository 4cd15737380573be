"""axe-core for the browser tests: where it lives, how it is installed, how a page is checked."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Pinned so a new axe release cannot turn the suite red overnight; bump it on purpose.
AXE_VERSION = "4.10.3"
AXE_PREFIX = ROOT / ".cache" / "axe"
AXE_JS = AXE_PREFIX / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.0-2.2 A and AA, best practices, and the experimental rules: the report that opened
# this check (issue 11) counted label-content-name-mismatch, which is experimental in axe 4.
AXE_TAGS = [
    "wcag2a",
    "wcag2aa",
    "wcag21a",
    "wcag21aa",
    "wcag22aa",
    "best-practice",
    "experimental",
]


def install_axe() -> Path | None:
    """The path of axe.min.js, installed from the npm registry on first use; None without npm."""
    if AXE_JS.exists():
        return AXE_JS
    npm = shutil.which("npm")
    if npm is None:
        return None
    subprocess.run(
        [
            npm,
            "install",
            "--no-save",
            "--no-audit",
            "--no-fund",
            "--prefix",
            str(AXE_PREFIX),
            f"axe-core@{AXE_VERSION}",
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return AXE_JS


def run_axe(page, axe_js: Path) -> list[dict]:
    """axe's violations on the page as it stands, for the rules tagged AXE_TAGS."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(axe_js))
    return page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}}).then(r => r.violations)",
        AXE_TAGS,
    )


def describe(violations: list[dict]) -> str:
    """One line per failing node, enough to find it in the template."""
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']}")
        for node in v["nodes"][:5]:
            lines.append(
                f"    {' '.join(node['target'])}: {node['failureSummary'].splitlines()[-1].strip()}"
            )
        if len(v["nodes"]) > 5:
            lines.append(f"    … and {len(v['nodes']) - 5} more")
    return "\n".join(lines)
