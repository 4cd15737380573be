"""The `policy-archive` command: a thin shell over the library."""

from __future__ import annotations

import functools
import os
from contextlib import ExitStack
from contextvars import ContextVar
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from app.config import Settings

cli = typer.Typer(
    help="Policy Archive: ingest policy articles and search them in a browser.",
    no_args_is_help=True,
    add_completion=False,
)
console = Console(stderr=True)


# What the running command opened, closed when it ends (see `_closing`).
_opened: ContextVar[ExitStack | None] = ContextVar("_opened", default=None)


def _closing(command):
    """Close the database and index a command opened when it ends: a PostgreSQL
    connection pool would otherwise outlive the command (and, in tests, the database)."""

    @functools.wraps(command)
    def run_and_close(*args, **kwargs):
        with ExitStack() as stack:
            token = _opened.set(stack)
            try:
                return command(*args, **kwargs)
            finally:
                _opened.reset(token)

    return run_and_close


def _prepare(settings: Settings):
    from app.db import make_engine, migrate
    from app.search.backend import open_search_backend

    migrate(settings)
    engine, archive_index = make_engine(settings), open_search_backend(settings)
    if (opened := _opened.get()) is not None:
        opened.callback(engine.dispose)
        opened.callback(archive_index.close)
    if not archive_index.schema_is_current():
        from app.ingest.pipeline import rebuild_index

        console.print("The search index was built by an older version: rebuilding it.")
        rebuild_index(engine, archive_index)
    return engine, archive_index


def _one_writer(command):
    """Run a command that writes to the archive only if no other writer is running."""

    @functools.wraps(command)
    def run_alone(*args, **kwargs):
        from app.ingest.lock import ArchiveBusy, exclusive_writer
        from app.ingest.pipeline import ArchiveFull, is_disk_full
        from app.search.backend import open_search_backend

        try:
            settings = Settings()
            with exclusive_writer(settings.index_dir, settings.database_url):
                # What a killed reindex or ingest left behind goes before new work starts.
                leftovers = open_search_backend(settings)
                leftovers.clean_leftovers()
                leftovers.close()
                return command(*args, **kwargs)
        except ArchiveBusy as error:
            _print_error(str(error))
            raise typer.Exit(code=1) from error
        except Exception as error:
            if not (isinstance(error, ArchiveFull) or is_disk_full(error)):
                raise
            reason = str(error) if isinstance(error, ArchiveFull) else "the disk is full"
            _print_error(
                f"stopped: {reason}. What was stored is intact; free some space and run "
                "the same command again to add the rest."
            )
            raise typer.Exit(code=1) from error

    return run_alone


def _progress(quiet: bool) -> Progress:
    """A bar labelled with its task's description, which a later stage may change."""
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        disable=quiet,
        transient=True,
    )


def _print_error(line: str) -> None:
    console.print(f"[red]error[/red] {line}", highlight=False, markup=True, soft_wrap=True)


def _print_warning(line: str) -> None:
    console.print(f"[yellow]warning[/yellow] {line}", highlight=False, markup=True, soft_wrap=True)


@cli.command()
@_one_writer
@_closing
def ingest(
    sources: Annotated[
        list[str] | None,
        typer.Argument(
            help="Files, folders (read recursively), URLs, feeds, WARC files, or - for stdin."
        ),
    ] = None,
    urls: Annotated[
        Path | None, typer.Option("--urls", help="A file of URLs to fetch, one per line.")
    ] = None,
    if_empty: Annotated[
        bool, typer.Option("--if-empty", help="Do nothing if the archive already has articles.")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    timings: Annotated[
        bool,
        typer.Option(
            "--timings",
            help="Print seconds spent extracting (summed over workers), and the writer's "
            "seconds on the database and on the index (waits for the segment builder "
            "included, its own work not).",
        ),
    ] = False,
    follow_links: Annotated[
        bool,
        typer.Option(
            "--follow-links",
            help="Read symbolic links inside folders even when they lead outside the folder.",
        ),
    ] = False,
    ignore_robots: Annotated[
        bool,
        typer.Option(
            "--ignore-robots",
            help="Fetch pages even where the site's robots.txt disallows it (archivists only).",
        ),
    ] = False,
) -> None:
    """Ingest articles into the archive and the search index.

    Reads plain text and Markdown (with optional YAML front matter), HTML pages,
    RSS/Atom feeds and WARC archives, from files, folders or URLs. An input that
    cannot be ingested is reported on one line with the reason; the rest of the
    batch goes on, and the command exits with status 1.
    """
    import json

    from sqlmodel import Session

    from app import queries
    from app.ingest.pipeline import IngestReport, Pipeline
    from app.ingest.sources.readers import Reader, SourceError, read_url_list

    settings = Settings()
    engine, archive_index = _prepare(settings)
    if if_empty:
        with Session(engine) as session:
            if queries.count_articles(session):
                console.print("The archive already has articles: nothing to do.")
                return
    all_sources = list(sources or [])
    report = IngestReport()
    if urls is not None:
        try:
            all_sources += read_url_list(urls)
        except SourceError as error:
            _print_error(report.fail(error.origin, error.reason))
    if not all_sources and not report.failed:
        raise typer.BadParameter("give at least one file, folder, URL or --urls FILE")

    def is_archived(url: str) -> bool:
        with Session(engine) as session:
            return queries.article_with_url(session, url=url) is not None

    pipeline = Pipeline(settings, engine, archive_index)
    reader = Reader(
        max_bytes=settings.max_input_bytes,
        is_archived=is_archived,
        follow_links=follow_links,
        obey_robots=not ignore_robots,
    )
    try:
        with _progress(quiet) as progress:
            task = progress.add_task("Ingesting", total=None)
            pipeline.ingest(
                reader.read(all_sources),
                report,
                on_error=_print_error,
                on_progress=lambda: progress.advance(task),
                on_warning=_print_warning,
                on_stage=lambda stage: progress.update(task, description=f"{stage}…"),
            )
    finally:
        reader.close()
        if report.repaired:
            console.print(
                f"Indexed {report.repaired} stored articles that an interrupted run had "
                "left out of the search index."
            )
    skipped = "".join(f", skipped {n} ({why})" for why, n in reader.stats.skipped.items())
    console.print(f"Done: {report.summary()}{skipped}.")
    if report.merged_segments:
        console.print(
            f"Merged the search index's {report.merged_segments} segments "
            f"({report.merge_seconds:.0f} s): searches now read one segment per index."
        )
    if timings:
        typer.echo(json.dumps(report.timings()))
    if report.failed:
        raise typer.Exit(code=1)


@cli.command()
@_one_writer
@_closing
def reextract(
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    failed: Annotated[
        bool,
        typer.Option("--failed", help="Only articles stored without speakers or themes."),
    ] = False,
) -> None:
    """Extract every article again from its stored original, keeping slugs and permalinks.

    Run this after the extractors improve: no source file is needed. Articles whose speaker
    or theme extraction failed at ingest are kept without those parts and retried here.
    """
    from app.ingest.pipeline import IngestReport, Pipeline

    settings = Settings()
    engine, archive_index = _prepare(settings)
    report = IngestReport()
    with _progress(quiet) as progress:
        task = progress.add_task("Re-extracting", total=None)
        Pipeline(settings, engine, archive_index).reextract(
            report,
            on_error=_print_error,
            on_progress=lambda: progress.advance(task),
            on_warning=_print_warning,
            failed_only=failed,
        )
    console.print(f"Done: {report.summary()}.")
    if report.failed:
        raise typer.Exit(code=1)


@cli.command()
@_one_writer
@_closing
def reindex() -> None:
    """Rebuild the search index from the database (the database is the truth)."""
    from app.ingest.pipeline import rebuild_index

    settings = Settings()
    engine, archive_index = _prepare(settings)
    count = rebuild_index(engine, archive_index)
    console.print(f"Indexed {count} articles.")


@cli.command()
@_one_writer
@_closing
def optimize() -> None:
    """Merge the search index into one segment (first article views and some searches get
    faster). `ingest` does it by itself after a run that about doubled the index."""
    settings = Settings()
    _, archive_index = _prepare(settings)
    merged = archive_index.optimize()
    if merged:
        console.print(f"Merged {merged} segments.")
    else:
        console.print("Nothing to merge.")


@cli.command("copy")
@_one_writer
@_closing
def copy_to(
    to: Annotated[
        str,
        typer.Option(
            "--to", help="Database URL to copy into (migrated first; must hold no archive)."
        ),
    ],
    index_dir: Annotated[
        Path | None,
        typer.Option(
            "--index-dir",
            help="The target's Whoosh index folder, for a SQLite target (default: beside it).",
        ),
    ] = None,
) -> None:
    """Copy the whole archive into another database: SQLite to PostgreSQL, or back.

    Every article, original, speaker, quote, theme and old slug keeps its id and slug, in
    one transaction at the target; the target's search index is then built from it.
    """
    from app.db import make_engine, migrate
    from app.ingest.pipeline import rebuild_index
    from app.search.backend import open_search_backend, search_backend_name
    from app.transfer import TargetNotEmpty, copy_archive

    source = Settings()
    if index_dir is None:
        target_file = Settings(database_url=to).database_path
        index_dir = target_file.parent / f"{target_file.stem}-index" if target_file else None
    target = Settings(database_url=to, index_dir=index_dir or source.index_dir)
    if target.database_url == source.database_url:
        raise typer.BadParameter("--to names the archive's own database")
    if search_backend_name(target) == "whoosh" and (
        target.index_dir.resolve() == source.index_dir.resolve()
    ):
        raise typer.BadParameter("give the target its own --index-dir")
    source_engine, _ = _prepare(source)
    migrate(target)
    target_engine = make_engine(target)
    opened = _opened.get()
    if opened is not None:
        opened.callback(target_engine.dispose)
    try:
        copied = copy_archive(source_engine, target_engine)
    except TargetNotEmpty as error:
        _print_error(str(error))
        raise typer.Exit(code=1) from error
    backend = open_search_backend(target)
    try:
        indexed = rebuild_index(target_engine, backend)
    finally:
        backend.close()
    rows = ", ".join(f"{count} {table}" for table, count in copied.items())
    console.print(f"Copied {rows}; indexed {indexed} articles at the target.")


@cli.command()
@_closing
def stats() -> None:
    """Print how many articles, speakers, quotes and themes the archive holds."""
    from sqlalchemy import func
    from sqlmodel import Session, select

    from app.models import Article, Quote, Snapshot, Speaker, Theme

    settings = Settings()
    engine, archive_index = _prepare(settings)
    with Session(engine) as session:
        for label, model in (
            ("articles", Article),
            ("speakers", Speaker),
            ("quotes", Quote),
            ("themes", Theme),
            ("snapshots", Snapshot),
        ):
            count = session.exec(select(func.count()).select_from(model)).one()
            typer.echo(f"{label:<10} {count}")
    typer.echo(f"{'indexed':<10} {archive_index.document_count()}")
    archive_index.close()


def served_site_url(host: str, port: int) -> str:
    """The address a browser on this machine reaches `serve --host H --port P` at."""
    if host in ("0.0.0.0", "", "::"):
        host = "127.0.0.1"  # every interface: loopback reaches it; set ARCHIVE_SITE_URL
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"


@cli.command()
@_closing
def serve(
    host: Annotated[str, typer.Option(envvar="HOST", help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(envvar="PORT", help="Port to listen on.")] = 8000,
    reload: Annotated[bool, typer.Option(help="Restart when code changes (development).")] = False,
    workers: Annotated[
        int | None,
        typer.Option(
            help="Server processes (default: ARCHIVE_WEB_WORKERS, 0: one per core, at most 4)."
        ),
    ] = None,
) -> None:
    """Serve the archive's web pages and JSON API."""
    from app.web import serving

    settings = Settings()
    _prepare(settings)
    # The app is built inside uvicorn from the environment: let it trust this interface,
    # and make permalinks point at this server unless ARCHIVE_SITE_URL names another.
    os.environ.setdefault("ARCHIVE_SERVE_HOST", host)
    os.environ.setdefault("ARCHIVE_SITE_URL", served_site_url(host, port))
    if reload:
        os.environ["ARCHIVE_RELOAD_TEMPLATES"] = "1"
    if workers is not None:
        settings.web_workers = workers
    processes = 1 if reload else settings.serve_workers()
    serving.run(host, port, processes, reload)


@cli.command()
def migrate() -> None:
    """Create or upgrade the database schema (Alembic upgrade head)."""
    from app.db import migrate as run_migrations

    settings = Settings()
    run_migrations(settings)
    console.print(f"Database at {settings.database_url} is up to date.")


def main() -> None:
    cli()
