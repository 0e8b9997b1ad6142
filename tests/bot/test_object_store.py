"""Bundles from an S3-compatible object store (a real moto server on loopback): the trainer uploads files, manifest,
then CURRENT; bots with their own local caches download, verify every sha256 and only then switch, within seconds
and without a failed request; a half-done upload or a tampered object changes nothing they serve."""
from __future__ import annotations

import asyncio
import json
import logging
import shutil
import time

import boto3
import pytest

from engine import Config, Engine
from engine.bundle import MANIFEST, published_versions
from engine.remote import RemoteModels
from tests.bot.harness import run, running_bot
from tests.conftest import run_cli
from training.publish.remote import point_remote_current, upload_version

REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture(scope="module")
def small_films(tmp_path_factory, films_file):
    """About 3,000 real films (every 12th): a few seconds to train."""
    path = tmp_path_factory.mktemp("store-films") / "films.ndjson"
    path.write_text("\n".join(films_file.read_text(encoding="utf-8").splitlines()[::12]) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def published(object_store, small_films) -> str:
    """The store's address after the real trainer published a first version there (tests add versions after it)."""
    publish(small_films, object_store["url"])
    return object_store["url"]


def publish(films, url: str, command: str = "train", seed: int = 1):
    result = run_cli("training.cli", command, "--films", str(films), "--models", url, "--quiet", "--epochs", "1",
                     "--dim", "16", "--trees", "2", "--ratings", "/nonexistent", "--seed", str(seed), "--force"
                     if command == "all" else "--no-evaluate", env={"REDIS_URL": REDIS_URL}, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    return result


def engine_on(url: str, cache) -> Engine:
    return Engine.load(url, Config(models_dir=cache))


def store_current(url: str) -> str:
    bucket, prefix = url[len("s3://"):].split("/", 1)
    return boto3.client("s3").get_object(Bucket=bucket, Key=f"{prefix}/CURRENT")["Body"].read().decode().strip()


def test_two_bots_on_separate_caches_swap_to_a_published_version_within_seconds(published, small_films, tmp_path):
    url = published
    first = store_current(url)
    engines = [engine_on(url, tmp_path / f"cache-{name}") for name in "ab"]  # empty disks: each fetches the model
    assert [engine.version for engine in engines] == [first, first]
    assert all((tmp_path / f"cache-{name}" / first / MANIFEST).is_file() for name in "ab")

    async def body():
        async with running_bot(engines[0]) as bot_a, running_bot(engines[1]) as bot_b:
            await asyncio.sleep(0.3)  # both subscribed to the trainer's announcements
            statuses: list[int] = []
            published_at: list[float] = []

            async def traffic() -> None:
                titles = ["Heat", "Alien", "Toy Story", "The Godfather", "Rocky"]
                number = 0
                while not published_at or time.perf_counter() - published_at[0] < 6:
                    batch = [(bot_a, bot_b)[i % 2].command(titles[i % 5], user=f"U{(number + i) % 40}")
                             for i in range(50)]  # 50 concurrent requests, again and again across the swap
                    statuses.extend(response.status for response in await asyncio.gather(*batch))
                    number += 50
                    await asyncio.sleep(0.5)

            async def retrain() -> None:
                await asyncio.to_thread(publish, small_films, url, "all", 2)  # announces over Redis
                published_at.append(time.perf_counter())

            swapped: dict[int, float] = {}

            async def watch() -> None:  # when each bot starts serving the version the trainer just published
                while not published_at:
                    await asyncio.sleep(0.02)
                second = store_current(url)
                while len(swapped) < 2 and time.perf_counter() - published_at[0] < 30:
                    for number, engine in enumerate(engines):
                        if number not in swapped and engine.version == second:
                            swapped[number] = time.perf_counter() - published_at[0]
                    await asyncio.sleep(0.02)

            await asyncio.gather(traffic(), retrain(), watch())
            assert store_current(url) != first and len(swapped) == 2, swapped
            print(f"both bots serve the new version {max(swapped.values()):.2f} s after the trainer finished")
            assert max(swapped.values()) < 5, swapped
            assert statuses and set(statuses) == {200}, f"{len([s for s in statuses if s != 200])} failed requests"

    run(body())


def test_an_upload_stopped_half_way_changes_nothing(published, tmp_path):
    url = published
    engine = engine_on(url, tmp_path / "cache")
    serving = engine.version
    remote = RemoteModels(url, tmp_path / "scratch")
    broken = tmp_path / "29990101T000000000Z"
    shutil.copytree(tmp_path / "cache" / serving, broken)  # a real version whose upload stops at one file
    (broken / "links.ann").unlink()  # written last, so uploaded last but the manifest
    with pytest.raises(OSError):
        upload_version(remote, broken)
    assert remote.read(broken.name, "film_vectors.npy") is not None  # files before the failure were uploaded...
    assert remote.read(broken.name, MANIFEST) is None  # ...but not the manifest, and CURRENT is untouched
    assert store_current(url) == serving
    assert engine.reload_if_changed() is False and engine.version == serving and engine.similar(0, k=3)


def test_a_tampered_object_is_refused_and_logged_once(published, tmp_path, caplog):
    url = published
    cache = tmp_path / "cache"
    engine = engine_on(url, cache)
    serving = engine.version
    remote = RemoteModels(url, tmp_path / "scratch")
    copy = tmp_path / "29990101T000000001Z"
    shutil.copytree(cache / serving, copy)
    manifest = json.loads((copy / MANIFEST).read_text())
    (copy / MANIFEST).write_text(json.dumps({**manifest, "version": copy.name}))
    upload_version(remote, copy)
    vectors = remote.read(copy.name, "film_vectors.npy")
    remote.client.put_object(Bucket=remote.bucket, Key=remote.key(copy.name, "film_vectors.npy"),
                             Body=vectors[:-1] + bytes([vectors[-1] ^ 0xFF]))  # altered in the store
    point_remote_current(remote, copy.name)
    with caplog.at_level(logging.ERROR, logger="engine.engine"):
        for _ in range(3):  # the bot's reload loop asks every few seconds
            assert engine.reload_if_changed() is False
    assert len([r for r in caplog.records if "does not match its checksum" in r.getMessage()]) == 1
    assert engine.version == serving and engine.similar(0, k=3)
    assert copy.name not in published_versions(cache)  # nothing unverified reaches the cache
    point_remote_current(remote, serving)  # the admin republishes the good version: the store is usable again


def test_old_cached_versions_are_pruned(published, tmp_path):
    url = published
    cache = tmp_path / "cache"
    engine = engine_on(url, cache)
    remote = RemoteModels(url, tmp_path / "scratch")
    source = tmp_path / "first"
    shutil.copytree(cache / engine.version, source)
    for number in range(4):  # four newer versions, each a renamed copy of the first
        name = f"2999010{number}T000000000Z"
        copy = tmp_path / name
        copy.mkdir()
        for item in source.iterdir():
            (copy / item.name).write_bytes(item.read_bytes())
        manifest = json.loads((copy / MANIFEST).read_text())
        (copy / MANIFEST).write_text(json.dumps({**manifest, "version": name}))
        upload_version(remote, copy)
        point_remote_current(remote, name)
        assert engine.reload_if_changed() is True and engine.version == name
    assert published_versions(cache) == ["29990101T000000000Z", "29990102T000000000Z", "29990103T000000000Z"]
