"""The retrain guard's margins: what a new model must hold on its own, whatever is published."""
from __future__ import annotations

from training.publish.guard import guard_report, margin_failures, recommend_metrics


def evaluation(blend: float, ease: float, ease_se: float, ease_links: float) -> dict:
    return {"recommend": {
        "blend": {"ndcg_at_10": blend},
        "links": {"ndcg_at_10": 0.17},  # one of our views: not a baseline
        "ease": {"ndcg_at_10": ease, "vs_blend": {"difference": ease - blend, "paired_standard_error": ease_se}},
        "ease_links": {"ndcg_at_10": ease_links, "vs_blend": {"difference": ease_links - blend, "paired_standard_error": 0.007}},
    }}


def links_view(linked: float, franchise: float) -> dict:
    return {"tfidf_franchise_hit_rate_at_10": 0.616,
            "links_view": {"linked_film_pairs": 2537, "linked_film_hit_rate_at_10": linked, "franchise_hit_rate_at_10": franchise}}


def test_a_model_holding_every_margin_passes_even_with_nothing_published():
    metrics = {**recommend_metrics(evaluation(0.3556, 0.3243, 0.0071, 0.3350)), **links_view(1.0, 0.686)}
    assert metrics["recommend_vs_best_baseline"]["name"] == "ease_links"
    assert metrics["recommend_vs_ease"]["difference"] == 0.0313
    assert margin_failures(metrics) == []
    assert guard_report(None, metrics, 0.02) is None


def test_a_model_short_of_issue_13s_margins_is_refused():
    # Stop 23's model: five paired standard errors ahead of EASE, but +0.0214 < +0.03, and 1.5 standard errors ahead
    # of EASE + link content, under two.
    metrics = {**recommend_metrics(evaluation(0.3457, 0.3243, 0.0043, 0.3350)), **links_view(1.0, 0.686)}
    assert margin_failures(metrics) == [
        "  recommend NDCG@10 vs EASE: +0.0214, under +0.03 or two paired standard errors (0.0086)",
        "  recommend NDCG@10 vs ease_links: +0.0107, under two paired standard errors (0.0140)",
    ]


def test_each_lost_margin_is_reported():
    metrics = {**recommend_metrics(evaluation(0.330, 0.3243, 0.0067, 0.3350)), **links_view(0.4, 0.60)}
    report = guard_report(None, metrics, 0.02)
    assert report.startswith("The new model falls short") and "not publishing" in report
    assert "vs EASE: +0.0057, under +0.03 or two paired standard errors" in report
    assert "vs ease_links: -0.0050, under two paired standard errors" in report
    assert "linked films in the links view's top 10: 0.400" in report
    assert "below exact TF-IDF's 0.616" in report
