"""Request dependencies: settings, a database session and the shared search index."""

from collections.abc import Callable, Iterator
from typing import Annotated, TypeVar

from fastapi import Depends, Request
from sqlmodel import Session

from app.config import Settings
from app.search.backend import SearchBackend
from app.web.cache import GenerationCache

T = TypeVar("T")


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_session(request: Request) -> Iterator[Session]:
    with Session(request.app.state.engine, expire_on_commit=False) as session:
        yield session


def get_index(request: Request) -> SearchBackend:
    return request.app.state.index


class Cached:
    """`cached(key, compute)`: the value for this index generation, computed once."""

    def __init__(self, cache: GenerationCache, archive_index: SearchBackend):
        self._cache = cache
        self._generation = archive_index.generation()

    def __call__(self, key: object, compute: Callable[[], T]) -> T:
        return self._cache.get(self._generation, key, compute)


def get_cached(request: Request) -> Cached:
    return Cached(request.app.state.cache, request.app.state.index)


SettingsDep = Annotated[Settings, Depends(get_settings)]
SessionDep = Annotated[Session, Depends(get_session)]
IndexDep = Annotated[SearchBackend, Depends(get_index)]
CachedDep = Annotated[Cached, Depends(get_cached)]
