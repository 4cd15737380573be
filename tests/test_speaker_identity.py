"""One person, one speaker record across the archive; namesakes stay apart."""

import json

import pytest
from sqlmodel import Session, select

from app.models import Quote, Speaker


def write(folder, name, text):
    (folder / name).write_text(text)


def speakers(engine) -> dict[str, Speaker]:
    with Session(engine) as session:
        return {s.name: s for s in session.exec(select(Speaker)).all()}


def test_full_name_surname_and_titled_forms_join_one_record(tmp_path, ingest, engine):
    write(
        tmp_path,
        "a.txt",
        "Tariff plan unveiled\n\nMarch 1, 2024\n\n"
        "“We will protect the steel towns,” said Prime Minister Anil Dorsey on Monday.\n",
    )
    write(
        tmp_path,
        "b.txt",
        "Budget row deepens\n\nApril 9, 2024\n\n"
        "Anil Dorsey, the prime minister, said the budget would balance by 2027.\n\n"
        "“Nobody will pay more tax,” Dorsey added.\n",
    )
    report = ingest(tmp_path)
    assert report.failed == 0, report.errors
    found = speakers(engine)
    assert list(found) == ["Anil Dorsey"]
    with Session(engine) as session:
        quotes = session.exec(select(Quote).where(Quote.speaker_id.is_not(None))).all()
    assert len({quote.article_id for quote in quotes}) == 2


def test_people_sharing_a_surname_stay_apart(tmp_path, ingest, engine):
    write(
        tmp_path,
        "a.txt",
        "Schools reopen\n\nMay 2, 2024\n\n"
        "“Classrooms are ready,” said Marta Dorsey, head teacher at Elmfield Academy.\n",
    )
    write(
        tmp_path,
        "b.txt",
        "Ports expand\n\nMay 3, 2024\n\n"
        "“Trade needs deeper berths,” said Anil Dorsey, chair of the Harbour Trust.\n",
    )
    assert ingest(tmp_path).failed == 0
    found = speakers(engine)
    assert {"Marta Dorsey", "Anil Dorsey"} <= set(found)
    assert found["Marta Dorsey"].slug != found["Anil Dorsey"].slug


def test_aliases_record_other_forms_seen(tmp_path, ingest, engine):
    write(
        tmp_path,
        "a.txt",
        "Energy levy agreed\n\nJune 4, 2024\n\n"
        "Energy Secretary Ruth Okafor said the levy would fund insulation for older homes.\n\n"
        "“It pays for itself within five years,” Okafor said.\n",
    )
    assert ingest(tmp_path).failed == 0
    okafor = speakers(engine)["Ruth Okafor"]
    aliases = json.loads(okafor.aliases)
    assert "Okafor" in aliases
    assert "Ruth Okafor" not in aliases


def test_a_known_speaker_is_found_without_flushing_the_batch(engine, monkeypatch):
    # A flush walks every object the batch's session holds; a known speaker needs none
    # (only a new one, for its id).
    from app.ingest.speakers.extraction import SpeakerIn
    from app.ingest.store import resolve_speaker

    def person(name, aliases):
        return SpeakerIn(name=name, role=None, affiliation=None, aliases=aliases, quotes=[])

    with Session(engine) as session:
        known = resolve_speaker(session, person("Anil Dorsey", []))
        assert known.id is not None  # new: flushed for its id
        flushes = []
        monkeypatch.setattr(Session, "flush", lambda self, *a: flushes.append(a))
        monkeypatch.setattr(
            Session, "_autoflush", lambda self: self.autoflush and flushes.append("auto")
        )
        again = resolve_speaker(session, person("Anil Dorsey", ["A. Dorsey"]))
        assert again is known and flushes == []
        assert known in session.dirty  # the new alias is written with the batch


def test_a_name_written_without_its_accents_joins_the_same_record(tmp_path, ingest, engine):
    # The other form is found by the last word of the name's key, which folds accents;
    # `name LIKE '% Perez'` did not find "José Pérez".
    write(
        tmp_path,
        "a.txt",
        "Water tariffs frozen\n\nJuly 1, 2024\n\n"
        "“Bills will not rise this year,” said José Pérez, the water minister.\n",
    )
    write(
        tmp_path,
        "b.txt",
        "Water tariffs reviewed\n\nJuly 8, 2024\n\n"
        "“The review ends in spring,” said Jose Perez, the water minister.\n",
    )
    assert ingest(tmp_path).failed == 0
    assert list(speakers(engine)) == ["José Pérez"]
    assert json.loads(speakers(engine)["José Pérez"].aliases) == ["Jose Perez"]


def test_looking_for_other_forms_of_a_name_reads_no_whole_table(engine):
    # At 11,000 speakers the old scan took 1.4 ms for each new name; the look-ups must
    # stay index searches however large the archive grows.
    from sqlalchemy import event

    from app.ingest.speakers.extraction import SpeakerIn
    from app.ingest.store import resolve_speaker

    if engine.dialect.name != "sqlite":
        pytest.skip("reads SQLite's query plans; PostgreSQL's depend on the table's size")
    statements = []

    def remember(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("SELECT") and not executemany:
            statements.append((statement, parameters))

    with Session(engine) as session:
        for name in ("Anil Dorsey", "Marta Dorsey", "Ruth Okafor"):
            resolve_speaker(session, SpeakerIn(name, None, None, [], []))
        event.listen(engine, "before_cursor_execute", remember)
        try:
            found = resolve_speaker(session, SpeakerIn("Dorsey", None, None, [], []))
            new = resolve_speaker(session, SpeakerIn("Kofi Mensah", None, None, [], []))
        finally:
            event.remove(engine, "before_cursor_execute", remember)
        assert found.name == "Dorsey"  # two Dorseys: the bare surname is nobody's for sure
        assert new.surname_key == "mensah"
        plans = [
            " ".join(
                row[-1]
                for row in session.connection().exec_driver_sql(
                    f"EXPLAIN QUERY PLAN {statement}", parameters
                )
            )
            for statement, parameters in statements
        ]
    assert any("ix_speaker_surname_key" in plan for plan in plans), plans
    assert not any("SCAN speaker" in plan for plan in plans), plans


def test_the_migration_gives_existing_speakers_their_surname_key(tmp_path):
    from alembic import command
    from sqlalchemy import create_engine, text

    from app.config import Settings
    from app.db import alembic_config

    url = f"sqlite:///{tmp_path / 'old.db'}"
    config = alembic_config(Settings(database_url=url, index_dir=tmp_path / "index"))
    command.upgrade(config, "0003_undated_slugs")
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(
            text("INSERT INTO speaker (slug, name, aliases) VALUES (:slug, :name, '[]')"),
            [{"slug": "jose-perez", "name": "José Pérez"}, {"slug": "x", "name": "Dr. Al-Amin"}],
        )
    command.upgrade(config, "head")
    with engine.connect() as connection:
        keys = dict(connection.execute(text("SELECT name, surname_key FROM speaker")).all())
    engine.dispose()
    assert keys == {"José Pérez": "perez", "Dr. Al-Amin": "amin"}
