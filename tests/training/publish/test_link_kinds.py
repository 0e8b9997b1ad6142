"""Page kinds read from how films link to a page: hand-made films, kinds worked out by hand."""
from __future__ import annotations

import numpy as np

from engine.kinds import BIT, PERSON, kind_bits, kind_name
from training.data.films import FilmRecord
from training.publish.link_kinds import infer_link_kinds, kind_coverage

LINKS = ["George Lucas", "Harrison Ford", "Lucasfilm", "Science fiction film", "Film noir", "United States of America",
         "Category:Star Wars films", "American Graffiti", "Robert Downey, Jr.", "Chris Evans (actor)", "Mos Eisley"]


def film(title: str, infobox: dict, links: list[str]) -> FilmRecord:
    return FilmRecord(title, infobox, tuple(links))


FILMS = [
    film("Star Wars (film)", {"director": "George Lucas", "writer": "George Lucas", "starring": "Harrison Ford",
                              "studio": "Lucasfilm", "genres": ["Science Fiction"], "country": "United States of America"},
         ["George Lucas", "Harrison Ford", "Lucasfilm", "Science fiction film", "United States of America",
          "Category:Star Wars films", "American Graffiti", "Mos Eisley"]),
    film("American Graffiti", {"director": "George Lucas", "writer": "George Lucas",
                               "starring": "Harrison Ford, Robert Downey, Jr."},
         ["George Lucas", "Harrison Ford", "Robert Downey, Jr."]),
    film("The Big Sleep", {"genres": ["Noir"], "starring": "Chris Evans, George Lucas"},
         ["Film noir", "Chris Evans (actor)", "George Lucas"]),
]


def test_kinds_come_from_the_infobox_fields_that_name_a_link():
    kinds = infer_link_kinds(FILMS, LINKS)
    assert kinds.dtype == np.uint16 and kinds.shape == (len(LINKS), 2)
    every, main = {t: int(k) for t, k in zip(LINKS, kinds[:, 0])}, {t: kind_name(k) for t, k in zip(LINKS, kinds[:, 1])}
    # George Lucas: directed two films, wrote two, starred in one: director (the main kind) and writer; one stray
    # credit as an actor does not make him one (as "Action" under a film's `starring` must not make a genre an actor)
    assert every["George Lucas"] == BIT["director"] | BIT["writer"] and main["George Lucas"] == "director"
    assert main["Harrison Ford"] == "actor" and main["Lucasfilm"] == "company"
    assert main["Science fiction film"] == "genre" and main["Film noir"] == "genre"  # "Science Fiction", "Noir"
    assert main["United States of America"] == "place" and main["Category:Star Wars films"] == "category"
    assert main["American Graffiti"] == "film"  # a film in the catalogue, whatever a field says
    assert main["Robert Downey, Jr."] == "actor"  # "Jr." is part of the name, not another person
    assert main["Chris Evans (actor)"] == "actor"  # the title's "(actor)" dropped to match the infobox's name
    assert kinds[LINKS.index("Mos Eisley")].tolist() == [0, 0]  # named by no field


def test_kind_names_and_coverage():
    assert kind_bits("People") == PERSON and kind_bits("studios") == BIT["company"] == kind_bits("company")
    assert kind_name(0) is None and kind_name(BIT["film"]) == "film"
    coverage = kind_coverage(infer_link_kinds(FILMS, LINKS), n_model_links=4)
    assert coverage["with_kind"] == 1.0 and coverage["main_kinds"]["director"] == 1 and coverage["model_links"] == 4
