"""Workload parameters from the environment. BENCH_SMOKE=1 switches the defaults to a quick run."""
import os

FULL = {
    "BIG_MIB": 512, "BIG_LAYERS": 4, "CI_COUNT": 200, "CI_BASE_MIB": 20, "CI_UNIQUE_KIB": 256,
    "CI_CONCURRENCY": 4, "HEY_SECONDS": 10, "HEY_CONCURRENCY": 16, "BLOB_SECONDS": 10,
    "BLOB_CONNECTIONS": 4, "READY_TIMEOUT": 60,
}
SMOKE = dict(FULL, BIG_MIB=32, CI_COUNT=10, HEY_SECONDS=2, BLOB_SECONDS=2)
TEXT = {"SEED": "nscr-bench-v1", "IMAGES_DIR": "/var/tmp/nscr-bench/own-images", "PULL_DIR": "/var/tmp",
        "REPO_PREFIX": "bench"}


def load():
    defaults = SMOKE if os.environ.get("BENCH_SMOKE", "0") == "1" else FULL
    cfg = {}
    for key, default in defaults.items():
        raw = os.environ.get(key, "")
        try:
            cfg[key] = int(raw) if raw else default
        except ValueError:
            raise SystemExit("%s must be an integer, got %r" % (key, raw))
        if cfg[key] <= 0:
            raise SystemExit("%s must be positive" % key)
    for key, default in TEXT.items():
        cfg[key] = os.environ.get(key) or default
    if cfg["BIG_MIB"] < cfg["BIG_LAYERS"]:
        raise SystemExit("BIG_MIB must be at least BIG_LAYERS (1 MiB per layer)")
    return cfg


def ensure_images(cfg, log):
    from . import images
    return images.ensure_images(cfg["IMAGES_DIR"], cfg["SEED"], cfg["BIG_MIB"], cfg["BIG_LAYERS"],
                                cfg["CI_COUNT"], cfg["CI_BASE_MIB"], cfg["CI_UNIQUE_KIB"], log)
