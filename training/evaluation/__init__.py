"""Measuring models: link share and franchise hit rate next to TF-IDF, the baselines (most popular, item-kNN,
EASE), and the recommendation evaluation on simulated MovieLens users that tunes the blend (`evaluate`)."""
