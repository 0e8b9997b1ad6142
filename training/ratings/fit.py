"""The ratings half of training: the rating predictors (matrix factorisation and a neural net) compared by RMSE on
the fixed 80/20 split, and the taste model on every rating, whose film factors become the bundle's ratings view."""
from __future__ import annotations

import sys

import numpy as np

from training.data.movielens import MovieLensRatings, split
from training.ratings.crowd import crowd_favourites
from training.ratings.ease import Links, fit_ease
from training.ratings.export import RatingsExport, align
from training.ratings.predictors import KINDS, RatingsFit, RatingsParams, fit_ratings, rmse
from training.ratings.taste import TasteParams, fit_taste

VALIDATION_SHARE = 0.1  # of the 80% training part: early stopping and the choice of model, never the test 20%
VALIDATION_SEED = 7


def carve_validation(train: MovieLensRatings, share: float = VALIDATION_SHARE, seed: int = VALIDATION_SEED
                     ) -> tuple[MovieLensRatings, MovieLensRatings]:
    """(fit part, validation part): a fixed random slice of the training ratings for early stopping."""
    held = np.random.default_rng(seed).random(len(train)) < share
    return train.subset(~held), train.subset(held)


def compare_kinds(ratings: MovieLensRatings, params: RatingsParams, out=sys.stderr
                  ) -> tuple[dict, dict[str, RatingsFit], MovieLensRatings]:
    """Fit every kind on 80% (early-stopped on a slice of it), score RMSE on the fixed 20%; pick by validation RMSE.

    Returns (figures, the fits by kind, the ratings they were fit on). Which kind wins is reported; neither's star
    predictions are exported, because they rank poorly (see ratings/taste.py); the matrix factorisation's film
    biases are (crowd favourites, ratings/crowd.py).
    """
    train_mask, test_mask = split(ratings)
    fit_part, validation = carve_validation(ratings.subset(train_mask))
    test = ratings.subset(test_mask)
    figures, fits = {}, {}
    for kind in KINDS:
        fit = fits[kind] = fit_ratings(fit_part, kind, params, validation=validation)
        figures[kind] = {
            "test_rmse": round(rmse(fit, test), 4),
            "validation_rmse": round(min(fit.validation_rmse_curve), 4),
            "epochs": fit.epochs,
            "seconds": round(fit.seconds, 1),
            "loss_curve": [round(x, 5) for x in fit.loss_curve],
            "validation_rmse_curve": [round(x, 5) for x in fit.validation_rmse_curve],
        }
        print(f"ratings model {kind}: RMSE {figures[kind]['test_rmse']:.4f} on the held-out 20% "
              f"({len(test):,} ratings; best after {fit.epochs} epochs, {fit.seconds:.0f}s)", file=out)
    best = min(KINDS, key=lambda kind: figures[kind]["validation_rmse"])
    summary = {
        "kinds": figures,
        "kept": best,
        "test_rmse": figures[best]["test_rmse"],
        "split": {"train": int(train_mask.sum()), "test": int(test_mask.sum()), "validation_share": VALIDATION_SHARE},
    }
    return summary, fits, fit_part


def train_ratings(ratings: MovieLensRatings, movielens_ids: list[int | None], params: RatingsParams | None = None,
                  taste: TasteParams | None = None, out=sys.stderr, titles: list[str] | None = None,
                  links: Links | None = None) -> RatingsExport:
    """Compare the rating predictors by RMSE, then train the taste model on every rating and align it with the
    catalogue; the RMSE figures and training curves go into the export's manifest section, the matrix
    factorisation's shrunk film biases into its crowd favourites (`titles` name the top 10 printed). EASE learns
    from the catalogue's `links` too, when given."""
    params, taste = params or RatingsParams(), taste or TasteParams()
    summary, fits, fit_part = compare_kinds(ratings, params, out)
    crowd = crowd_favourites(fits["mf"].item_biases, fit_part, ratings, movielens_ids, titles, out)
    fit = fit_taste(ratings, taste)
    print(f"taste model: {taste.dim} factors for {ratings.n_items:,} films from {ratings.n_users} users "
          f"in {fit.seconds:.0f}s", file=out)
    info = {
        "model": "taste",
        "alpha": taste.alpha,
        "fold_in_l2": taste.fold_in_l2,
        "taste": {**taste.as_dict(), "seconds": round(fit.seconds, 1), "loss_curve": [round(x, 4) for x in fit.loss_curve]},
        "rating_params": params.as_dict(),
        "ratings": len(ratings),
        "users": ratings.n_users,
        "items": ratings.n_items,
        **summary,
    }
    export = align(fit.item_factors, fit.item_biases, ratings, movielens_ids, info)
    export.ease = fit_ease(ratings, movielens_ids, links=links)
    export.crowd = crowd
    link_weight = export.ease.info.get("link_weight")
    with_links = f", learnt with their links (x {link_weight:g})" if link_weight else ""
    print(f"EASE over every rated film: {export.ease.info['films']:,} films, {export.ease.info['keep']} weights kept a film"
          f"{with_links}", file=out)
    return export
