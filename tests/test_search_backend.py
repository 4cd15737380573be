"""The search backend protocol: Whoosh implements it, and web code sees nothing else."""

import inspect
import re
from pathlib import Path

from app.search.backend import SearchBackend, open_search_backend
from app.search.whoosh_backend.archive_index import ArchiveIndex

APP = Path(__file__).resolve().parents[1] / "app"


def _protocol_methods() -> dict[str, inspect.Signature]:
    return {
        name: inspect.signature(member)
        for name, member in vars(SearchBackend).items()
        if callable(member) and not name.startswith("_")
    }


def test_the_whoosh_index_implements_every_method_with_the_same_parameters():
    methods = _protocol_methods()
    assert {"search", "search_quotes", "index_articles", "rebuild", "generation"} <= set(methods)
    for name, expected in methods.items():
        actual = inspect.signature(getattr(ArchiveIndex, name))
        assert [(p.name, p.kind, p.default) for p in actual.parameters.values()] == [
            (p.name, p.kind, p.default) for p in expected.parameters.values()
        ], name


def test_the_settings_choose_the_backend_in_one_place(settings):
    backend = open_search_backend(settings)
    try:
        assert isinstance(backend, ArchiveIndex)
        assert backend.directory == settings.index_dir
    finally:
        backend.close()
    constructed = [
        path.relative_to(APP).as_posix()
        for path in APP.rglob("*.py")
        if re.search(r"\bArchiveIndex\(", path.read_text())
    ]
    assert constructed == ["search/backend.py"]


def test_web_code_depends_on_the_protocol_not_on_a_backend():
    for path in sorted((APP / "web").glob("*.py")):
        assert "ArchiveIndex" not in path.read_text(), path.name
    assert "ArchiveIndex" not in (APP / "main.py").read_text()


def test_only_the_search_package_imports_a_backend():
    """Outside app/search/, code knows the protocol and the shared shapes, not a backend."""
    for path in sorted(APP.rglob("*.py")):
        if path.is_relative_to(APP / "search"):
            continue
        imports = re.findall(
            r"^\s*(?:from|import) app\.search\.(\w+_backend)", path.read_text(), re.M
        )
        assert not imports, f"{path.relative_to(APP)} imports {imports}"
