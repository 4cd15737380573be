"""The search backend protocol: Whoosh implements it, and web code sees nothing else."""

import inspect
import re
from pathlib import Path

from app.search import ArchiveIndex
from app.search_backend import SearchBackend, open_search_backend

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
    assert constructed == ["search_backend.py"]


def test_web_code_depends_on_the_protocol_not_on_a_backend():
    for path in sorted((APP / "web").glob("*.py")):
        assert "ArchiveIndex" not in path.read_text(), path.name
    assert "ArchiveIndex" not in (APP / "main.py").read_text()
