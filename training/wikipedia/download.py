"""Download the English Wikipedia pages-articles multistream dump and its index: the latest complete run (or a
given date), resuming partial files with HTTP Range requests, each file checked against the sha1 the dump site
publishes in its dumpstatus.json. A file that does not match is deleted and refused."""
from __future__ import annotations

import hashlib
import json
import os
import re
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

DUMP_SITE = "https://dumps.wikimedia.org"
WIKI = "enwiki"
JOB = "articlesmultistreamdump"
TIMEOUT_SECONDS = 60
BLOCK = 1 << 20
USER_AGENT = "movielike-train (film recommender; dump download)"


class DumpError(Exception):
    """No complete dump, a failed download, or a file that does not match its published checksum."""


class RangeNotSatisfiable(DumpError):
    """The server refused a resume (HTTP 416): the partial file is as long as the file or longer."""


@dataclass(frozen=True)
class DumpFile:
    name: str
    url: str
    size: int
    sha1: str


def _open(url: str, headers: dict | None = None):
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, **(headers or {})})
    try:
        return urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS)
    except urllib.error.HTTPError as error:
        kind = RangeNotSatisfiable if error.code == 416 else DumpError
        raise kind(f"{url} answered HTTP {error.code}") from None
    except (urllib.error.URLError, OSError) as error:
        raise DumpError(f"could not reach {url}: {getattr(error, 'reason', error)}") from None


def dump_dates(site: str = DUMP_SITE) -> list[str]:
    """The run dates listed on the wiki's dump page, newest first."""
    with _open(f"{site}/{WIKI}/") as response:
        listing = response.read().decode("utf-8", errors="replace")
    return sorted(set(re.findall(r'href="(\d{8})/?"', listing)), reverse=True)


def dump_files(date: str, site: str = DUMP_SITE) -> list[DumpFile] | None:
    """The multistream dump and index of a run, or None when that job is not done."""
    try:
        with _open(f"{site}/{WIKI}/{date}/dumpstatus.json") as response:
            status = json.loads(response.read())
    except (DumpError, json.JSONDecodeError):
        return None
    job = status.get("jobs", {}).get(JOB, {})
    if job.get("status") != "done":
        return None
    files = []
    for name, info in sorted(job.get("files", {}).items()):
        if name.endswith((".xml.bz2", "-index.txt.bz2")) and "multistream" in name and info.get("sha1"):
            url = info.get("url") or f"/{WIKI}/{date}/{name}"
            files.append(DumpFile(name, site + url if url.startswith("/") else url, int(info.get("size", 0)), info["sha1"]))
    return files if len(files) == 2 else None


def latest_complete(site: str = DUMP_SITE) -> tuple[str, list[DumpFile]]:
    for date in dump_dates(site):
        files = dump_files(date, site)
        if files:
            return date, files
    raise DumpError(f"no complete {JOB} run found at {site}/{WIKI}/")


def sha1_of(path: Path) -> str:
    digest = hashlib.sha1()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(BLOCK), b""):
            digest.update(block)
    return digest.hexdigest()


def fetch(file: DumpFile, folder: Path, progress: bool = True) -> Path:
    """Download `file` into `folder` (resuming `name.part`), verify its sha1, rename into place.

    A `.part` as long as the file (a run stopped before its rename) is verified without a request; a resumed file
    that does not verify is downloaded once more from the start before giving up.
    """
    target, partial = folder / file.name, folder / (file.name + ".part")
    if target.exists() and target.stat().st_size == file.size and sha1_of(target) == file.sha1:
        return target
    folder.mkdir(parents=True, exist_ok=True)
    have = partial.stat().st_size if partial.exists() else 0
    if file.size and have > file.size:  # longer than the file: not a prefix of it
        have = 0
    if have and have == file.size:
        resumed = True  # complete already: asking for bytes=<size>- would get HTTP 416
    else:
        try:
            resumed = _download(file, partial, have, progress)
        except RangeNotSatisfiable:
            resumed = _download(file, partial, 0, progress)
    if resumed and sha1_of(partial) != file.sha1:  # the kept part was bad: start over once
        resumed = _download(file, partial, 0, progress)
    if sha1_of(partial) != file.sha1:
        partial.unlink(missing_ok=True)
        raise DumpError(f"{file.name} does not match its published sha1 {file.sha1}; deleted it, please retry")
    os.replace(partial, target)
    return target


def _download(file: DumpFile, partial: Path, have: int, progress: bool) -> bool:
    """Write `file` into `partial`, from byte `have` when the server resumes (206), else whole. True if resumed."""
    from tqdm.auto import tqdm

    headers = {"Range": f"bytes={have}-"} if have else {}
    with _open(file.url, headers) as response:
        resumed = bool(have) and response.status == 206
        with open(partial, "ab" if resumed else "wb") as out, tqdm(
                total=file.size or None, initial=have if resumed else 0, unit="B", unit_scale=True, desc=file.name,
                disable=not progress) as bar:
            for block in iter(lambda: response.read(BLOCK), b""):
                out.write(block)
                bar.update(len(block))
    return resumed


def download(folder: Path, date: str = "latest", site: str = DUMP_SITE, progress: bool = True) -> tuple[Path, Path]:
    """(dump, index) of the latest complete run, or of `date`, downloaded and verified into `folder`."""
    if date == "latest":
        date, files = latest_complete(site)
    else:
        files = dump_files(date, site)
        if not files:
            raise DumpError(f"the {date} run has no complete {JOB} at {site}/{WIKI}/{date}/")
    paths = [fetch(file, Path(folder), progress) for file in files]
    dump = next(p for p in paths if p.name.endswith(".xml.bz2"))
    index = next(p for p in paths if p.name.endswith("-index.txt.bz2"))
    return dump, index
