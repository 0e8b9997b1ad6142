"""The ratings half on the full model: RMSE of the rating predictors and the recommendation evaluation's verdicts."""
from __future__ import annotations

from engine import Blend


def test_rating_models_meet_the_rmse_target(manifest):
    section = manifest["ratings"]
    assert set(section["kinds"]) == {"mf", "nn"}
    assert section["kept"] == min(section["kinds"], key=lambda kind: section["kinds"][kind]["validation_rmse"])
    assert section["test_rmse"] <= 0.86, section["kinds"]
    assert section["split"]["test"] == 20_167


def test_training_measured_the_recommendations(manifest):
    evaluation = manifest["evaluation"]["recommend"]
    assert Blend.from_manifest(manifest) == Blend.from_manifest(manifest["evaluation"])  # the tuned weights are served
    assert evaluation["links"]["ndcg_at_10"] > evaluation["most_popular"]["ndcg_at_10"], evaluation
    assert evaluation["blend"]["ndcg_at_10"] > evaluation["item_knn"]["ndcg_at_10"], evaluation
    assert evaluation["blend"]["ndcg_at_10"] > evaluation["links"]["ndcg_at_10"], evaluation
    assert evaluation["blend"]["ndcg_at_10"] > evaluation["ease"]["ndcg_at_10"], evaluation  # margins: test_recommendation_margins
    assert manifest["metrics"]["recommend_ndcg_at_10"] == evaluation["blend"]["ndcg_at_10"]
    similar = manifest["evaluation"]["similar"]
    assert similar["both"]["franchise_hit_rate_at_10"] >= 0.95 * similar["links"]["franchise_hit_rate_at_10"]
