"""Reading Cookbook-format films: good lines become records, bad lines are counted, never fatal."""
from __future__ import annotations

import json

from training.data.films import read_films


def test_reads_good_lines_and_counts_bad_ones(tmp_path):
    path = tmp_path / "films.ndjson"
    lines = [
        json.dumps(["Space Saga", {"year": 1977, "movielens_id": 260}, ["A Director", "Sci-fi", "Sci-fi"], "93%", None]),
        "not json at all",
        json.dumps({"title": "an object, not an array"}),
        json.dumps(["", {}, []]),
        "",
        json.dumps(["Space Saga II", {"year": "1980"}, ["A Director", "Sci-fi"]]),
        json.dumps(["Space Saga", {}, ["duplicate title"]]),
    ]
    path.write_text("\n".join(lines) + "\n")
    report = read_films(path)
    assert [f.title for f in report.films] == ["Space Saga", "Space Saga II"]
    assert report.bad_lines == 3
    assert report.duplicates == 1
    assert len(report.bad_examples) == 3 and report.bad_examples[0].startswith("line 2:")
    first = report.films[0]
    assert first.links == ("A Director", "Sci-fi")  # de-duplicated, order kept
    assert first.year == 1977 and first.movielens_id == 260 and first.rotten_tomatoes == "93%"
    assert report.films[1].year == 1980
    assert len(report.sha256) == 64
