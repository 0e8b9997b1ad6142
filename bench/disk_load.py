"""A busy disk, as a trainer publishing a bundle beside the bot makes it: for the embedded Redis's durability checks."""
from __future__ import annotations

import subprocess
from pathlib import Path


def busy_disk(folder: Path, megabytes: int) -> subprocess.Popen:
    """Keep `megabytes` of unsynced writes in the page cache while two writers each write a fifth of that and fsync
    it, over and over, so every fsync waits; stop it with os.killpg(process.pid, signal.SIGKILL)."""
    loop = (f"while true; do dd if=/dev/zero of={folder}/dirty bs=1M count={megabytes} status=none; done & "
            f"for n in 1 2; do while true; do dd if=/dev/zero of={folder}/synced$n bs=1M count={megabytes // 5} "
            "conv=fsync status=none; done & done; wait")
    return subprocess.Popen(["sh", "-c", loop], start_new_session=True)
