"""movielike's offline side, one sub-package per job; each imports only the ones listed above it (and engine):

data/        reading films (Cookbook ndjson) and MovieLens ratings, popularity, downloading the public data
links/       the link model: (film, link) pairs, tf.data batches, the Keras model and its fit
ratings/     the rating predictors (RMSE), the taste model and its export into the catalogue's film order
publish/     writing bundles (one writer, checksums, atomic renames), the retrain guard, notifying bots
evaluation/  link metrics and franchise pairs, baselines, the recommendation evaluation that tunes the blend
wikipedia/   films from a Wikipedia dump: download, streaming, wikitext parsing, extraction
posters/     the poster view: poster images (a folder, or downloaded politely), Keras image features, the
             genre-sharing figure, and publishing them as a new version (`posters`)
train.py     the `train` / `all` commands' work; report.py the `report` command's pictures; cli.py `movielike-train`
"""
