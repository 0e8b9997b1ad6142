"""The franchise check finds follow-ups by title, and only real ones."""
from __future__ import annotations

from training.data.films import FilmRecord
from training.evaluation.franchise import follow_ups, franchise_pairs


def test_pairs_follow_ups_with_the_right_first_film():
    titles = [
        ("Rocky (1948 film)", 1948), ("Rocky", 1976), ("Rocky II", 1979), ("Rocky Mountain (film)", 1950),
        ("Alien (film)", 1979), ("Alien: Covenant", 2017), ("Alien Nation (film)", 1988),
        ("Blade Runner", 1982), ("Blade Runner 2049", 2017), ("The Mission (1986 film)", 1986),
        ("Mission: Impossible III", 2006), ("Shrek", 2001), ("Shrek 2", 2004),
    ]
    films = [FilmRecord(t, {"year": y}, ()) for t, y in titles]
    named = {(films[a].title, films[b].title) for a, b in franchise_pairs(films)}
    assert named == {("Rocky", "Rocky II"), ("Alien (film)", "Alien: Covenant"), ("Shrek", "Shrek 2")}


def test_follow_ups_leave_out_title_namesakes_checked_by_hand():
    titles = [("Fear (1996 film)", 1996), ("Fear X", 2003), ("Rocky", 1976), ("Rocky II", 1979),
              ("Oceans (film)", 2010), ("Ocean's 8", 2018)]
    films = [FilmRecord(t, {"year": y}, ()) for t, y in titles]
    pairs = franchise_pairs(films)
    assert len(pairs) == 3  # the title rule alone takes Fear X for a sequel of Fear, Ocean's 8 for one of Oceans
    assert {(films[a].title, films[b].title) for a, b in follow_ups(films, pairs)} == {("Rocky", "Rocky II")}
