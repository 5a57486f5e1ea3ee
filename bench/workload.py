#!/usr/bin/env python3
"""nscr's registry workload (Python 3 standard library + skopeo, hey, wrk, curl).

  workload.py images                      build (or find cached) the OCI layouts, print where
  workload.py run URL OUTDIR [options]    measure one running, empty registry on 127.0.0.1
        --pid PID          registry process (CPU and peak RSS figures)
        --data-dir DIR     registry storage dir (disk usage before/after delete and GC)
        --gc-cmd CMD       run with bash -c after the deletes; gets BENCH_REGISTRY_URL,
                           BENCH_REGISTRY_DATA_DIR, BENCH_REGISTRY_PID; may restart the registry
        --name NAME        label in the report
  workload.py nginx OUTDIR                blob GET ceiling: nginx sendfile of the same layer
  workload.py compare NSCR_DIR DIST_DIR [--nginx DIR] [--out DIR]
                                          side-by-side figures, ratios, targets

Parameters come from the environment (see bench/README.md); BENCH_SMOKE=1 makes a quick run.
Exit status: 0 when every step passed, 1 otherwise.
"""
import argparse
import json
import os
import signal
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from nscrbench import compare, config, driver, nginx  # noqa: E402
from nscrbench.run import log  # noqa: E402


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("images")
    run = sub.add_parser("run")
    run.add_argument("url")
    run.add_argument("outdir")
    run.add_argument("--pid", type=int)
    run.add_argument("--data-dir")
    run.add_argument("--gc-cmd")
    run.add_argument("--name", default="unknown")
    ng = sub.add_parser("nginx")
    ng.add_argument("outdir")
    cmp_ = sub.add_parser("compare")
    cmp_.add_argument("nscr_dir")
    cmp_.add_argument("dist_dir")
    cmp_.add_argument("--nginx")
    cmp_.add_argument("--out")
    args = parser.parse_args(argv)

    if args.command == "images":
        imgs = config.ensure_images(config.load(), log)
        print(json.dumps({"big": imgs["big_path"], "ci": imgs["ci_path"],
                          "ci_base_layer": imgs["ci"]["base_layer"]}, indent=1))
        return 0
    if args.command == "run":
        ok = driver.run(args.url, args.outdir, args.pid, args.data_dir, args.gc_cmd, args.name)
        return 0 if ok else 1
    if args.command == "nginx":
        return 0 if nginx.run(args.outdir) else 1
    text, doc = compare.compare(args.nscr_dir, args.dist_dir, args.nginx)
    print(text, end="")
    if args.out:
        os.makedirs(args.out, exist_ok=True)
        with open(os.path.join(args.out, "comparison.txt"), "w") as f:
            f.write(text)
        with open(os.path.join(args.out, "comparison.json"), "w") as f:
            json.dump(doc, f, indent=1)
    return 0 if doc["nscr"]["ok"] and doc["distribution"]["ok"] else 1


if __name__ == "__main__":
    # SIGTERM (from bench/compare.sh's cleanup) unwinds like an exception, so `finally` blocks
    # stop nginx and remove temporary directories
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    sys.exit(main(sys.argv[1:]))
