"""What a person would judge in the full model's answers: the blend stays close to the films that share links."""
from __future__ import annotations


def test_the_blend_keeps_mostly_the_films_that_share_links(engine):
    heat = engine.resolve("Heat (1995 film)")
    links = {r.id for r in engine.similar(heat.id, k=10, by="links")}
    both = {r.id for r in engine.similar(heat.id, k=10, by="both")}
    assert len(both & links) >= 5, (both, links)
