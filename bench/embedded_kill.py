"""What a kill -9 of the embedded Redis loses, per append-only fsync policy, while the disk is busy.

    python bench/embedded_kill.py [--trials 6] [--seconds 2.5] [--dirty-mb 1500] [--policies always,everysec,no]

Each trial starts the embedded server (bot.store.embedded_socket, as the bot does) on a fresh file, writes ratings
through it (each one acknowledged by Redis) until Redis reports acknowledged writes not yet in its file (INFO's
aof_buffer_length) or `--seconds` pass, kills the server with SIGKILL, starts a new one on the
same file and counts the acknowledged writes that did not come back. Meanwhile writers keep the disk busy as a
trainer publishing a bundle beside the bot does (`--dirty-mb` of unsynced data, and two writers each writing a
fifth of that and fsyncing it in a loop), which makes fsync slow: under `everysec` Redis 6.2 then postpones
writing its file for up to two seconds but still replies. Prints one JSON object.
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import redis

from bench.disk_load import busy_disk
from bot.store import FSYNC_POLICIES, embedded_registry, embedded_socket, stop_embedded


def trial(policy: str, seconds: float, folder: Path) -> tuple[int, int, bool]:
    """(acknowledged writes, of them lost, whether Redis held acknowledged writes it had not written to its file) for
    one kill -9 of the server under `policy`, killed at the first such moment or after `seconds`."""
    state_file = folder / f"{policy}-{time.monotonic_ns()}.db"
    client = redis.Redis(unix_socket_path=embedded_socket(state_file, policy))
    written, start, unwritten = 0, time.monotonic(), 0
    while time.monotonic() - start < seconds:
        client.sadd("likes", written)  # returns once Redis has acknowledged it
        written += 1
        # Acknowledged but still only in Redis's memory (its file write postponed): the moment a kill loses writes.
        unwritten = int(client.info("persistence").get("aof_buffer_length", 0))
        if unwritten:
            break
    pid = embedded_registry(state_file)["pid"]
    os.kill(pid, signal.SIGKILL)
    while Path(f"/proc/{pid}").exists() and "zombie" not in Path(f"/proc/{pid}/status").read_text().lower():
        time.sleep(0.01)
    client.close()
    stop_embedded()  # forgets the dead server: the next embedded_socket starts one on the same file
    again = redis.Redis(unix_socket_path=embedded_socket(state_file, policy))
    kept = again.scard("likes")
    again.close()
    stop_embedded()
    return written, written - kept, unwritten > 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=6)
    parser.add_argument("--seconds", type=float, default=2.5)
    parser.add_argument("--dirty-mb", type=int, default=1500, help="unsynced data kept in the page cache (0: none)")
    parser.add_argument("--policies", default=",".join(FSYNC_POLICIES))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="movielike-kill-") as temporary:
        folder = Path(temporary)
        writer = None
        if args.dirty_mb:
            writer = busy_disk(folder, args.dirty_mb)
            time.sleep(3)
        results = {}
        try:
            for policy in args.policies.split(","):
                runs = [trial(policy, args.seconds, folder) for _ in range(args.trials)]
                results[policy] = {
                    "acknowledged_median": statistics.median(written for written, _, _ in runs),
                    "lost": [lost for _, lost, _ in runs],
                    "trials_losing_writes": sum(1 for _, lost, _ in runs if lost),
                    "trials_killed_with_unwritten_writes": sum(1 for _, _, unwritten in runs if unwritten),
                }
        finally:
            if writer is not None:
                os.killpg(writer.pid, signal.SIGKILL)
                writer.wait()
    print(json.dumps({"trials": args.trials, "seconds": args.seconds, "dirty_mb": args.dirty_mb,
                      "policies": results}, indent=2))


if __name__ == "__main__":
    main()
