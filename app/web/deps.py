"""Request dependencies: settings, a database session and the shared search index."""

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlmodel import Session

from app.config import Settings
from app.search import ArchiveIndex


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_session(request: Request) -> Iterator[Session]:
    with Session(request.app.state.engine, expire_on_commit=False) as session:
        yield session


def get_index(request: Request) -> ArchiveIndex:
    return request.app.state.index


SettingsDep = Annotated[Settings, Depends(get_settings)]
SessionDep = Annotated[Session, Depends(get_session)]
IndexDep = Annotated[ArchiveIndex, Depends(get_index)]
