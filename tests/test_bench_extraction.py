"""`make bench-extraction` measures the whole extraction on generated articles."""

from __future__ import annotations

from bench.extraction import main, measure


def test_measure_times_whole_extraction_and_speakers_apart():
    whole, speakers = measure(4, rounds=1)
    assert 0 < speakers < whole


def test_command_prints_milliseconds_per_article(capsys):
    assert main(["--n", "2", "--rounds", "1"]) == 0
    assert "ms per article" in capsys.readouterr().out
