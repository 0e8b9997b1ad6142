"""Issue 16's quality checks on the full model, as `movielike-train train` measured and stored them: pages like a
director are directors of the same genres more often than chance, and the crowd favourites follow the mean rating."""
from __future__ import annotations


def test_a_directors_nearest_directors_share_their_genres_more_than_random_ones(manifest):
    check = manifest["metrics"]["pages"]["directors"]
    assert check["directors"] > 1000, check  # 1,771 directors with a vector in the shared films
    assert check["top10_share_genre"] > check["random_share_genre"] + 0.05, check  # 0.755 vs 0.643 measured


def test_crowd_favourites_follow_the_mean_rating_of_well_rated_films(manifest):
    crowd = manifest["ratings"]["favourites"]
    assert crowd["films_checked"] > 300 and crowd["spearman_vs_mean_rating"] > 0.85, crowd  # 0.949 measured
    assert len(crowd["top"]) == 10 and all(entry["ratings"] >= 20 for entry in crowd["top"])  # no 3-rating wonders
