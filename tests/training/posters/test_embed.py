"""Image vectors from real posters with both Keras applications (random weights: ImageNet's are not reachable here),
small images to stay fast."""
from __future__ import annotations

import numpy as np
import pytest

from tests.training.posters.conftest import POSTERS
from training.posters.embed import MODELS, EmbeddingError, embed_posters, load_model, parse_weights
from training.posters.images import folder_posters, read_poster

SIZE = 64  # pixels a side: a few milliseconds a poster


@pytest.fixture(scope="module")
def posters() -> dict[int, object]:
    return {film: POSTERS / f"{movie}.jpg" for film, movie in ((7, 1), (3, 2), (11, 6), (5, 10), (2, 32))}


@pytest.mark.parametrize("name", sorted(MODELS))
def test_each_model_gives_one_unit_vector_per_poster(name, posters):
    embedding = embed_posters(posters, name, weights=None, image_size=SIZE, batch_size=2, progress=False)
    assert embedding.vectors.shape == (5, MODELS[name].dim) and embedding.vectors.dtype == np.float32
    assert embedding.films.tolist() == [7, 3, 11, 5, 2]  # rows in the order given
    assert np.allclose(np.linalg.norm(embedding.vectors, axis=1), 1.0, atol=1e-5)
    assert embedding.unreadable == [] and embedding.seconds > 0
    cosine = embedding.vectors @ embedding.vectors.T
    assert np.all(cosine[~np.eye(5, dtype=bool)] < 0.99999)  # five different posters, five different vectors
    again = embed_posters({3: posters[3]}, name, weights=None, image_size=SIZE, progress=False)
    assert np.allclose(again.vectors[0], embedding.vectors[1], atol=1e-4)  # seeded random weights: reproducible


def test_an_unreadable_file_is_skipped_and_named(posters, tmp_path):
    broken = tmp_path / "99.jpg"
    broken.write_text("not a jpeg")
    embedding = embed_posters({1: posters[7], 99: broken}, "vgg16", weights=None, image_size=32, progress=False)
    assert embedding.films.tolist() == [1] and embedding.unreadable == [99]


def test_weights_from_a_file_are_the_weights_used(posters, tmp_path):
    saved = load_model("efficientnetb0", None, SIZE, seed=1)
    path = tmp_path / "efficientnetb0.weights.h5"
    saved.save_weights(path)
    from_file = embed_posters({1: posters[7]}, "efficientnetb0", weights=parse_weights(str(path)), image_size=SIZE,
                              seed=2, progress=False)
    same_seed = embed_posters({1: posters[7]}, "efficientnetb0", weights=None, image_size=SIZE, seed=1, progress=False)
    other_seed = embed_posters({1: posters[7]}, "efficientnetb0", weights=None, image_size=SIZE, seed=2, progress=False)
    assert np.allclose(from_file.vectors, same_seed.vectors, atol=1e-5)
    assert not np.allclose(from_file.vectors, other_seed.vectors, atol=1e-3)
    with pytest.raises(EmbeddingError, match="could not load"):
        load_model("vgg16", path, SIZE)  # another model's weights


def test_weights_argument():
    assert parse_weights("imagenet") == "imagenet" and parse_weights("None") is None
    with pytest.raises(ValueError, match="no such file"):
        parse_weights("/nowhere/vgg16.h5")


def test_posters_are_found_by_movielens_id_and_read_as_squares():
    found = folder_posters(POSTERS, [None, 1, 999_999, 2])
    assert found == {1: POSTERS / "1.jpg", 3: POSTERS / "2.jpg"}
    image = read_poster(found[1], 48)
    assert image.shape == (48, 48, 3) and image.dtype == np.float32 and 0 <= image.min() < image.max() <= 255
