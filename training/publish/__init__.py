"""Writing model bundles, the contract `engine` reads: one writer that records every file's checksum, atomic
publishing (temporary directory, rename, then CURRENT), the retrain guard and the announcement to running bots."""
