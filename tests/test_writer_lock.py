"""One writer per archive: on PostgreSQL an advisory lock spans every machine."""

import signal
import subprocess
import sys
import time

import pytest

from app.cli import cli
from app.ingest.lock import ArchiveBusy, exclusive_writer
from tests.conftest import BOTH_ENGINES, FIXTURES


@pytest.mark.parametrize("database_url", BOTH_ENGINES, indirect=True)
def test_a_second_writer_is_refused_while_one_runs(runner, settings, tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "good.txt").write_bytes(
        (FIXTURES / "articles" / "wire-report.txt").read_bytes()
    )
    with exclusive_writer(settings.index_dir, settings.database_url):
        refused = runner.invoke(cli, ["ingest", "-q", str(tmp_path / "in")])
    assert refused.exit_code == 1
    assert "another ingest, reextract or reindex is writing" in refused.output
    assert runner.invoke(cli, ["ingest", "-q", str(tmp_path / "in")]).exit_code == 0


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_a_writer_on_another_machine_is_refused_by_the_database(settings, tmp_path):
    """Another machine has its own folders: only the database can tell it a writer runs."""
    elsewhere = tmp_path / "elsewhere" / "index"
    with (
        exclusive_writer(settings.index_dir, settings.database_url),
        pytest.raises(ArchiveBusy),
        exclusive_writer(elsewhere, settings.database_url),
    ):
        pass
    with exclusive_writer(elsewhere, settings.database_url):
        pass  # free again once the first writer is done


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_a_killed_writer_leaves_no_lock_behind(settings, tmp_path):
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\n"
            "from pathlib import Path\n"
            "from app.ingest.lock import exclusive_writer\n"
            f"with exclusive_writer(Path({str(tmp_path / 'killed' / 'index')!r}), "
            f"{settings.database_url!r}):\n"
            "    print('locked', flush=True)\n"
            "    time.sleep(60)\n",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        with (
            pytest.raises(ArchiveBusy),
            exclusive_writer(settings.index_dir, settings.database_url),
        ):
            pass
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=10)
        deadline = time.monotonic() + 10  # the server notices the dropped connection
        while True:
            try:
                with exclusive_writer(settings.index_dir, settings.database_url):
                    break
            except ArchiveBusy:
                assert time.monotonic() < deadline, "the killed writer's lock was never freed"
                time.sleep(0.1)
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()
