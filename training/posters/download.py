"""Download posters politely: one request at a time, at most one every `delay` seconds (default 1), a User-Agent that
says who asks and how to reach them (Wikimedia's policy asks for one), timeouts, and retries with backoff on 429 and
5xx that honour Retry-After. Every file goes to a cache under a name derived from its URL, written to a temporary
name and renamed: a run that stops is resumed by running it again (cached files are never fetched twice)."""
from __future__ import annotations

import email.utils
import hashlib
import http.client
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from training.data.fetch import write_atomically

RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
MAX_BYTES = 20 << 20  # a poster larger than this is refused (originals on Wikimedia run to a few MB)
SUFFIXES = (".jpg", ".jpeg", ".png", ".gif", ".webp")
STOP_AFTER_FAILURES = 3  # consecutive posters lost to 5xx or the network: the server or the network is down, stop


class DownloadError(Exception):
    """One poster could not be had (kept in the report; the run goes on). `transient`: 5xx or the network."""

    def __init__(self, message: str, transient: bool = False):
        super().__init__(message)
        self.transient = transient


class DownloadStopped(DownloadError):
    """The whole run stops: the server keeps answering 429, asks to wait longer than allowed, or seems down.
    What was cached stays; running again resumes."""


def user_agent(contact: str) -> str:
    """What the server sees: the tool, what it does, and the admin's contact (a URL or an email address)."""
    return f"movielike-train/0.1 (film recommender fetching poster thumbnails; +{contact}) Python-urllib"


@dataclass(frozen=True)
class DownloadSettings:
    cache: Path  # where posters are kept between runs
    contact: str  # who runs it, for the User-Agent: a URL or an email address
    delay: float = 1.0  # seconds from one request's start to the next one's (1 request a second)
    timeout: float = 30.0  # seconds to connect, and between bytes
    retries: int = 3  # further tries after a 429, a 5xx or a network error
    backoff: float = 2.0  # seconds before the first retry when the server gives no Retry-After; doubled each time
    max_wait: float = 300.0  # a Retry-After longer than this stops the run (resume later)


@dataclass
class DownloadReport:
    paths: dict[int, Path] = field(default_factory=dict)  # film id -> its cached poster
    downloaded: int = 0
    cached: int = 0  # already in the cache: not requested
    failed: dict[int, str] = field(default_factory=dict)  # film id -> why
    requests: int = 0
    stopped: str | None = None  # why the run stopped early, if it did


def cache_path(cache: Path, url: str) -> Path:
    """The cached file for `url`: a hash of the URL (stable across models and catalogue orders) and its suffix."""
    suffix = Path(urllib.parse.urlsplit(url).path).suffix.lower()
    return Path(cache) / (hashlib.sha256(url.encode("utf-8")).hexdigest()[:32] + (suffix if suffix in SUFFIXES else ".img"))


def retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (seconds or an HTTP date); None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    now = datetime.now(timezone.utc).timestamp() if now is None else now
    return max(0.0, when.timestamp() - now)


class PosterDownloader:
    """Fetches posters into the cache, one at a time; `clock` and `sleep` are time.monotonic and time.sleep."""

    def __init__(self, settings: DownloadSettings, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep):
        if not settings.contact or not settings.contact.strip():
            raise ValueError("downloading posters needs a contact (a URL or email address) for the User-Agent: "
                             "pass --contact")
        if settings.delay < 0 or settings.timeout <= 0 or settings.retries < 0:
            raise ValueError("the delay must be >= 0 seconds, the timeout > 0 and retries >= 0")
        self.settings = settings
        self.headers = {"User-Agent": user_agent(settings.contact.strip()), "Accept": "image/*"}
        self.clock = clock
        self.sleep = sleep
        self.requests = 0
        self._last_start: float | None = None

    def fetch(self, url: str) -> tuple[Path, bool]:
        """The cached poster of `url` (downloaded first unless cached) and whether it was downloaded now.

        DownloadError for this poster (404, not an image, too large, 5xx or the network after every retry);
        DownloadStopped when the server keeps answering 429 or asks to wait longer than max_wait.
        """
        path = cache_path(self.settings.cache, url)
        if path.is_file():
            return path, False
        problem = ""
        for attempt in range(self.settings.retries + 1):
            self._wait_for_turn()
            try:
                data = self._get(url)
            except urllib.error.HTTPError as error:
                error.close()
                if error.code not in RETRY_STATUS:
                    raise DownloadError(f"{url} answered HTTP {error.code}") from None
                problem = f"HTTP {error.code}"
                asked = retry_after(error.headers.get("Retry-After"))
                wait = asked if asked is not None else self.settings.backoff * 2**attempt
                if asked is not None and asked > self.settings.max_wait:
                    raise DownloadStopped(f"{url} answered {problem} asking to wait {asked:.0f}s (Retry-After), longer "
                                          f"than {self.settings.max_wait:.0f}s: stopped; run again later to resume") from None
            except (urllib.error.URLError, http.client.HTTPException, OSError) as error:
                problem = str(getattr(error, "reason", error)) or type(error).__name__
                wait = self.settings.backoff * 2**attempt
            else:
                write_atomically(path, data)
                return path, True
            if attempt < self.settings.retries:
                self.sleep(wait)
        tries = self.settings.retries + 1
        if problem == "HTTP 429":
            raise DownloadStopped(f"{url} still answered HTTP 429 (too many requests) after {tries} tries: stopped; "
                                  "run again later (cached posters are kept), with a longer --delay")
        raise DownloadError(f"{url}: {problem} after {tries} tries", transient=True)

    def fetch_all(self, urls: dict[int, str], progress: bool = True) -> DownloadReport:
        """Every film's poster (film id -> URL), in order; a poster that cannot be had is noted and skipped. Stops
        early (report.stopped says why) on DownloadStopped or after STOP_AFTER_FAILURES transient failures in a row."""
        from tqdm.auto import tqdm

        Path(self.settings.cache).mkdir(parents=True, exist_ok=True)
        report = DownloadReport()
        failures_in_a_row = 0
        with tqdm(total=len(urls), desc="posters", unit="poster", disable=not progress) as bar:
            for film, url in urls.items():
                try:
                    path, fresh = self.fetch(url)
                except DownloadStopped as error:
                    report.failed[film] = str(error)
                    report.stopped = str(error)
                    break
                except DownloadError as error:
                    report.failed[film] = str(error)
                    failures_in_a_row = failures_in_a_row + 1 if error.transient else 0
                    if failures_in_a_row >= STOP_AFTER_FAILURES:
                        report.stopped = (f"{failures_in_a_row} posters in a row failed ({error}): the server or the "
                                          "network seems down; stopped, run again later to resume")
                        break
                else:
                    failures_in_a_row = 0
                    report.paths[film] = path
                    report.downloaded += fresh
                    report.cached += not fresh
                finally:
                    bar.update(1)
                    bar.set_postfix(new=report.downloaded, cached=report.cached, failed=len(report.failed), refresh=False)
        report.requests = self.requests
        return report

    def _wait_for_turn(self) -> None:
        """Sleep until `delay` seconds have passed since the last request started (the rate limit)."""
        if self._last_start is not None:
            wait = self._last_start + self.settings.delay - self.clock()
            if wait > 0:
                self.sleep(wait)
        self._last_start = self.clock()
        self.requests += 1

    def _get(self, url: str) -> bytes:
        request = urllib.request.Request(url, headers=self.headers)
        with urllib.request.urlopen(request, timeout=self.settings.timeout) as response:
            kind = response.headers.get("Content-Type", "")
            if not kind.lower().startswith("image/"):
                raise DownloadError(f"{url} is not an image (Content-Type {kind or 'missing'!r})")
            data = response.read(MAX_BYTES + 1)
        if len(data) > MAX_BYTES:
            raise DownloadError(f"{url} is larger than {MAX_BYTES >> 20} MB")
        return data

