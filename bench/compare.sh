#!/usr/bin/env bash
# nscr vs CNCF Distribution, same machine, same run, same images:  bench/compare.sh [OUTDIR]
#
# Builds nscr (Release), starts it and Debian's docker-registry one after the other on 127.0.0.1
# with empty temporary storage, runs the workload against each, prints the figures side by side
# with ratios and writes everything to OUTDIR (default bench/out/<timestamp>).
#
# Environment (all optional):
#   BENCH_SMOKE=1          small, quick run (32 MiB big image, 10 CI images, 2 s load phases)
#   BIG_MIB, CI_COUNT, HEY_SECONDS, BLOB_SECONDS, ...   workload shape, see bench/README.md
#   BENCH_HARNESS=DIR      run DIR/run.sh (an external harness) instead of bench/workload.py
#   BENCH_PUBLISH_DIR=DIR   use this `dotnet publish` output instead of building
#   BENCH_LOG_LEVEL         nscr's default log level (Warning)
#   ORDER                  "nscr distribution" (default) or "distribution nscr"
#   NGINX_BASELINE=0       skip the nginx sendfile blob GET baseline
#   BENCH_WORK_PARENT      parent of the temporary work dir (/var/tmp); KEEP_WORK=1 keeps it
#   BENCH_STANDIN=distribution   measure a second Distribution in nscr's slot (tests this script
#                          without building nscr)
set -euo pipefail
BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$BENCH_DIR/.." && pwd)
# shellcheck source=lib/common.sh
. "$BENCH_DIR/lib/common.sh"

OUTDIR=${1:-$BENCH_DIR/out/$(date +%Y%m%d-%H%M%S)}
mkdir -p "$OUTDIR"
OUTDIR=$(cd "$OUTDIR" && pwd)
WORK=$(mktemp -d "${BENCH_WORK_PARENT:-/var/tmp}/nscr-bench-work.XXXXXX")
NSCR_PID=
HARNESS=
if [[ -n ${BENCH_HARNESS:-} ]]; then
  [[ -f $BENCH_HARNESS/run.sh ]] || { echo "BENCH_HARNESS=$BENCH_HARNESS has no run.sh" >&2; exit 2; }
  HARNESS=$(cd "$BENCH_HARNESS" && pwd)
fi

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  # the workload (or build) runs in its own process group: end it with every tool it started
  [[ -n $CHILD ]] && kill -TERM -- "-$CHILD" 2>/dev/null
  [[ -n $NSCR_PID ]] && stop_pid "$NSCR_PID" Nscr.Gateway
  local pidfile
  for pidfile in "$WORK"/*/registry.pid; do
    [[ -f $pidfile ]] && "$BENCH_DIR/lib/distribution.sh" stop "$(dirname "$pidfile")"
  done
  if [[ ${KEEP_WORK:-0} == 1 ]]; then bench_log "work dir kept: $WORK"; else rm -rf "$WORK"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

need python3 python3; need curl curl; need docker-registry docker-registry
if [[ -z $HARNESS ]]; then need skopeo skopeo; need hey hey; need wrk wrk; fi
STANDIN=${BENCH_STANDIN:-}
[[ -z $STANDIN || $STANDIN == distribution ]] || { echo "BENCH_STANDIN: only 'distribution'" >&2; exit 2; }
[[ -n ${BENCH_PUBLISH_DIR:-}$STANDIN ]] || need dotnet "the .NET 10 SDK"

# 1. nscr, Release
if [[ -n $STANDIN ]]; then
  bench_log "BENCH_STANDIN=$STANDIN: Distribution runs in nscr's slot, nothing is built"
elif [[ -n ${BENCH_PUBLISH_DIR:-} ]]; then
  PUBLISH=$(cd "$BENCH_PUBLISH_DIR" && pwd)
else
  PUBLISH=$WORK/nscr-publish
  bench_log "dotnet publish src/Gateway -c Release (log: $OUTDIR/build.log)"
  if ! run_child dotnet publish "$REPO/src/Gateway" -c Release -o "$PUBLISH" >"$OUTDIR/build.log" 2>&1; then
    tail -n 30 "$OUTDIR/build.log" >&2
    exit 1
  fi
fi
[[ -n $STANDIN || -f $PUBLISH/Nscr.Gateway.dll ]] || { echo "no Nscr.Gateway.dll in $PUBLISH" >&2; exit 1; }
NSCR_VERSION=$(git -C "$REPO" describe --always --dirty 2>/dev/null || echo unknown)
DIST_VERSION=$(dpkg-query -W -f '${Version}' docker-registry 2>/dev/null || echo unknown)

# 2. the same images for both, generated once and read into the page cache before either run
if [[ -z $HARNESS ]]; then
  run_child python3 "$BENCH_DIR/workload.py" images >"$OUTDIR/images.txt"
  python3 - "$OUTDIR/images.txt" <<'EOF'
import json, os, sys
for layout in json.load(open(sys.argv[1])).values():
    if isinstance(layout, str):
        for root, _, names in os.walk(layout):
            for n in names:
                with open(os.path.join(root, n), "rb") as f:
                    while f.read(1 << 22):
                        pass
EOF
fi

# run_workload NAME URL PID DATA_DIR GC_CMD LABEL
run_workload() {
  local name=$1 url=$2 pid=$3 data=$4 gc=$5 label=$6
  if [[ -n $HARNESS ]]; then
    REGISTRY_DATA_DIR=$data REGISTRY_NAME=$label GC_HOOK=$gc \
      run_child "$HARNESS/run.sh" "$url" "$OUTDIR/$name" "$pid"
  else
    run_child python3 "$BENCH_DIR/workload.py" run "$url" "$OUTDIR/$name" --pid "$pid" --data-dir "$data" \
      ${gc:+--gc-cmd "$gc"} --name "$label"
  fi
}

FAILED=0
bench_nscr() {
  local port data url gc=
  port=$(free_port)
  data=$WORK/nscr-data
  url=http://127.0.0.1:$port
  mkdir -p "$data" "$OUTDIR/nscr"
  bench_log "starting nscr ($NSCR_VERSION) on $url"
  start_nscr "$PUBLISH" "$port" "$data" "$OUTDIR/nscr/registry.log"
  if ! wait_ready "$url" "${READY_TIMEOUT:-60}" "$NSCR_PID"; then
    tail -n 30 "$OUTDIR/nscr/registry.log" >&2
    stop_pid "$NSCR_PID" Nscr.Gateway
    NSCR_PID=
    FAILED=1
    return
  fi
  # online GC only when the admin endpoint exists (a GET answers 405 or 200, not 404)
  local code
  code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$url/api/gc" || true)
  if [[ $code != 404 && $code != 000 ]]; then
    gc='curl -fsS -X POST "$BENCH_REGISTRY_URL/api/gc?wait=true"'
  else
    bench_log "nscr has no /api/gc (GET answered $code): no GC step"
  fi
  run_workload nscr "$url" "$NSCR_PID" "$data" "$gc" "nscr $NSCR_VERSION" || FAILED=1
  stop_pid "$NSCR_PID" Nscr.Gateway
  NSCR_PID=
}

# bench_distribution SLOT LABEL: SLOT names the output and work subdirectories
bench_distribution() {
  local slot=$1 label=$2 port work=$WORK/$1 url
  port=$(free_port)
  url=http://127.0.0.1:$port
  mkdir -p "$work" "$OUTDIR/$slot"
  "$BENCH_DIR/lib/distribution.sh" config "$work" "$port" >/dev/null
  cp "$work/config.yml" "$OUTDIR/$slot/config.yml"
  bench_log "starting $label on $url"
  if ! DIST_LOG=$OUTDIR/$slot/registry.log "$BENCH_DIR/lib/distribution.sh" start "$work"; then
    tail -n 30 "$OUTDIR/$slot/registry.log" >&2
    "$BENCH_DIR/lib/distribution.sh" stop "$work"
    FAILED=1
    return
  fi
  # offline GC: the hook stops the registry, collects, and starts it again (new PID in the pid file)
  local gc
  gc="DIST_LOG=$(printf %q "$OUTDIR/$slot/registry.log") $(printf %q "$BENCH_DIR/lib/distribution.sh") gc $(printf %q "$work")"
  run_workload "$slot" "$url" "$(cat "$work/registry.pid")" "$work/data" "$gc" "$label" || FAILED=1
  "$BENCH_DIR/lib/distribution.sh" stop "$work"
}

for registry in ${ORDER:-nscr distribution}; do
  case $registry in
    nscr)
      if [[ -n $STANDIN ]]; then
        bench_distribution nscr "distribution $DIST_VERSION (stand-in for nscr)"
      else
        bench_nscr
      fi ;;
    distribution) bench_distribution distribution "distribution $DIST_VERSION" ;;
    *) echo "ORDER: unknown registry $registry" >&2; exit 2 ;;
  esac
done

# 3. the ceiling for blob GETs, and the side-by-side table
NGINX_ARG=()
if [[ -z $HARNESS && ${NGINX_BASELINE:-1} != 0 ]] && command -v nginx >/dev/null; then
  run_child python3 "$BENCH_DIR/workload.py" nginx "$OUTDIR/nginx" && NGINX_ARG=(--nginx "$OUTDIR/nginx")
fi
echo
if [[ -n $HARNESS && -x $HARNESS/compare.sh ]]; then
  "$HARNESS/compare.sh" "$OUTDIR/nscr" "$OUTDIR/distribution" | tee "$OUTDIR/harness-comparison.txt" || true
  echo
fi
python3 "$BENCH_DIR/workload.py" compare "$OUTDIR/nscr" "$OUTDIR/distribution" "${NGINX_ARG[@]}" \
  --out "$OUTDIR" || FAILED=1
echo "results in $OUTDIR"
exit "$FAILED"
