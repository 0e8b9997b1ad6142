"""The polite downloader against a loopback server serving real posters: cache and resume, the rate limit, the
User-Agent the server sees, and what 404, 429 (Retry-After), 5xx, a non-image and a dead server do."""
from __future__ import annotations

import itertools
import socket
import time
from email.utils import formatdate

import pytest

from tests.training.posters.conftest import POSTERS
from training.posters.download import (
    STOP_AFTER_FAILURES,
    DownloadError,
    DownloadSettings,
    DownloadStopped,
    PosterDownloader,
    cache_path,
    retry_after,
)

CONTACT = "https://example.org/movielike-admin"
MOVIES = (1, 2, 6, 10)  # MovieLens ids with a poster in the shared data


def downloader(cache, delay=0.0, sleeps=None, **settings) -> PosterDownloader:
    """A downloader whose sleeps really sleep, and are written down when `sleeps` is a list."""

    def sleep(seconds: float) -> None:
        if sleeps is not None:
            sleeps.append(seconds)
        time.sleep(seconds)

    return PosterDownloader(DownloadSettings(cache, CONTACT, delay=delay, **settings), sleep=sleep)


def poster_urls(server, movies=MOVIES) -> dict[int, str]:
    return {film: f"{server.url}/p/{movie}.jpg" for film, movie in enumerate(movies)}


def test_posters_land_in_the_cache_and_a_second_run_requests_nothing(poster_server, tmp_path):
    urls = poster_urls(poster_server)
    report = downloader(tmp_path / "cache").fetch_all(urls, progress=False)
    assert (report.downloaded, report.cached, report.failed, report.requests) == (4, 0, {}, 4)
    for film, movie in enumerate(MOVIES):
        assert report.paths[film] == cache_path(tmp_path / "cache", urls[film])
        assert report.paths[film].read_bytes() == (POSTERS / f"{movie}.jpg").read_bytes()
    assert not [p for p in (tmp_path / "cache").iterdir() if p.name.startswith(".")]  # no temporary file left

    again = downloader(tmp_path / "cache").fetch_all(urls, progress=False)
    assert (again.downloaded, again.cached, again.requests) == (0, 4, 0)
    assert len(poster_server.seen) == 4


def test_an_interrupted_run_resumes_with_what_is_missing(poster_server, tmp_path):
    urls = poster_urls(poster_server)
    first = downloader(tmp_path / "cache").fetch_all(dict(list(urls.items())[:2]), progress=False)  # stopped after 2
    assert first.downloaded == 2
    resumed = downloader(tmp_path / "cache").fetch_all(urls, progress=False)
    assert (resumed.downloaded, resumed.cached, resumed.requests) == (2, 2, 2)
    assert [seen.path for seen in poster_server.seen] == [f"/p/{movie}.jpg" for movie in MOVIES]


def test_requests_are_spaced_by_the_delay(poster_server, tmp_path):
    started = time.monotonic()
    downloader(tmp_path / "cache", delay=0.3).fetch_all(poster_urls(poster_server), progress=False)
    times = [seen.at for seen in poster_server.seen]
    assert len(times) == 4
    assert min(b - a for a, b in itertools.pairwise(times)) >= 0.28, times
    assert time.monotonic() - started >= 0.9


def test_the_server_sees_a_user_agent_naming_the_tool_and_the_contact(poster_server, tmp_path):
    downloader(tmp_path / "cache").fetch_all(poster_urls(poster_server, MOVIES[:1]), progress=False)
    agent = poster_server.seen[0].user_agent
    assert agent.startswith("movielike-train/") and CONTACT in agent and "poster" in agent


def test_a_contact_is_required(tmp_path):
    with pytest.raises(ValueError, match="contact"):
        PosterDownloader(DownloadSettings(tmp_path, " "))


def test_a_404_is_noted_once_and_the_run_goes_on(poster_server, tmp_path):
    urls = {0: f"{poster_server.url}/missing.jpg", 1: f"{poster_server.url}/p/1.jpg"}
    report = downloader(tmp_path / "cache").fetch_all(urls, progress=False)
    assert "HTTP 404" in report.failed[0] and 1 in report.paths and report.stopped is None
    assert len(poster_server.requests_for("/missing.jpg")) == 1  # not retried
    assert not cache_path(tmp_path / "cache", urls[0]).exists()


def test_a_page_that_is_not_an_image_is_refused(poster_server, tmp_path):
    with pytest.raises(DownloadError, match="not an image"):
        downloader(tmp_path / "cache").fetch(f"{poster_server.url}/page.jpg")
    assert list((tmp_path / "cache").glob("*")) == []


def test_a_429_waits_as_long_as_retry_after_says_then_gets_the_poster(poster_server, tmp_path):
    sleeps: list[float] = []
    path, fresh = downloader(tmp_path / "cache", sleeps=sleeps, backoff=0.01).fetch(f"{poster_server.url}/busy.jpg")
    assert fresh and path.read_bytes() == (POSTERS / "1.jpg").read_bytes()
    first, second = poster_server.requests_for("/busy.jpg")
    assert second.at - first.at >= 0.95 and sleeps == [1.0]


def test_a_5xx_is_retried_after_a_backoff(poster_server, tmp_path):
    sleeps: list[float] = []
    path, fresh = downloader(tmp_path / "cache", sleeps=sleeps, backoff=0.05).fetch(f"{poster_server.url}/flaky.jpg")
    assert fresh and path.is_file() and sleeps == [0.05]
    assert len(poster_server.requests_for("/flaky.jpg")) == 2


def test_a_server_that_keeps_answering_429_stops_the_run_and_keeps_the_cache(poster_server, tmp_path):
    urls = {0: f"{poster_server.url}/p/1.jpg", 1: f"{poster_server.url}/always-busy.jpg", 2: f"{poster_server.url}/p/2.jpg"}
    report = downloader(tmp_path / "cache", retries=2, backoff=0.01).fetch_all(urls, progress=False)
    assert report.stopped and "429" in report.stopped and "again later" in report.stopped
    assert list(report.paths) == [0] and report.paths[0].is_file()
    assert len(poster_server.requests_for("/always-busy.jpg")) == 3  # the first try and 2 retries
    assert not poster_server.requests_for("/p/2.jpg")  # nothing after it


def test_a_retry_after_beyond_the_longest_wait_stops_at_once(poster_server, tmp_path):
    with pytest.raises(DownloadStopped, match="3600"):
        downloader(tmp_path / "cache", max_wait=60).fetch(f"{poster_server.url}/far.jpg")
    assert len(poster_server.requests_for("/far.jpg")) == 1


def test_a_dead_server_stops_the_run_after_a_few_posters(tmp_path):
    with socket.socket() as probe:  # a loopback port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    urls = {film: f"http://127.0.0.1:{port}/p/{film}.jpg" for film in range(10)}
    report = downloader(tmp_path / "cache", retries=1, backoff=0.01, timeout=2).fetch_all(urls, progress=False)
    assert report.stopped and "seems down" in report.stopped
    assert len(report.failed) == STOP_AFTER_FAILURES and report.requests == 2 * STOP_AFTER_FAILURES


def test_retry_after_reads_seconds_and_http_dates():
    assert retry_after("120") == 120.0
    assert retry_after(formatdate(1_000_030, usegmt=True), now=1_000_000) == 30.0
    assert retry_after(formatdate(1_000_000, usegmt=True), now=1_000_030) == 0.0
    assert retry_after(None) is None and retry_after("soon") is None
