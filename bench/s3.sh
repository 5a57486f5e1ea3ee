#!/usr/bin/env bash
# nscr on the filesystem store vs nscr on the S3 store (s3rver on loopback), same run, same images:
#   bench/s3.sh [OUTDIR]
# s3rver is a JavaScript test server, so the S3 figures measure nscr's S3 path plus a slow server;
# the point is correctness under the full workload and nscr's memory (peak RSS) while it streams.
# Environment: the workload's (BIG_MIB, CI_COUNT, ...; see README.md; this script defaults to a
# lighter CI phase: CI_COUNT=20, HEY_SECONDS=3, BLOB_SECONDS=3), BENCH_PUBLISH_DIR, KEEP_WORK=1.
set -euo pipefail
BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$BENCH_DIR/.." && pwd)
# shellcheck source=lib/common.sh
. "$BENCH_DIR/lib/common.sh"
export CI_COUNT=${CI_COUNT:-20} HEY_SECONDS=${HEY_SECONDS:-3} BLOB_SECONDS=${BLOB_SECONDS:-3}

OUTDIR=${1:-$BENCH_DIR/out/s3-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$OUTDIR"
OUTDIR=$(cd "$OUTDIR" && pwd)
WORK=$(mktemp -d "${BENCH_WORK_PARENT:-/var/tmp}/nscr-bench-s3.XXXXXX")
NSCR_PID= S3_PID=
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  [[ -n $NSCR_PID ]] && stop_pid "$NSCR_PID" Nscr.Gateway
  [[ -n $S3_PID ]] && stop_pid "$S3_PID" s3rver
  if [[ ${KEEP_WORK:-0} == 1 ]]; then bench_log "work dir kept: $WORK"; else rm -rf "$WORK"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

S3RVER=$REPO/tests/Storage.Tests/s3rver
[[ -f $S3RVER/node_modules/s3rver/package.json ]] || (cd "$S3RVER" && npm ci --no-audit --no-fund --loglevel=error)
PUBLISH=${BENCH_PUBLISH_DIR:-$WORK/publish}
if [[ -z ${BENCH_PUBLISH_DIR:-} ]]; then
  bench_log "publishing nscr (Release)"
  dotnet publish "$REPO/src/Gateway" -c Release -o "$PUBLISH" >"$OUTDIR/publish.log" 2>&1
fi

# run_nscr NAME [VAR=VALUE...]: starts nscr with the extra settings, runs the workload, stops it.
run_nscr() {
  local name=$1 port data url
  shift
  port=$(free_port) data=$WORK/$name-data url=http://127.0.0.1:$port
  mkdir -p "$data" "$OUTDIR/$name"
  bench_log "starting nscr ($name) on $url"
  env "$@" NSCR_PORT="$port" NSCR_DATA_DIR="$data" NSCR_LISTEN_ADDRESS=127.0.0.1 NSCR_GC_GRACE=00:00:00 \
    DOTNET_GCgen0size=${DOTNET_GCgen0size:-0x400000} Logging__LogLevel__Default=Warning \
    dotnet "$PUBLISH/Nscr.Gateway.dll" >"$OUTDIR/$name/registry.log" 2>&1 </dev/null &
  NSCR_PID=$!
  wait_ready "$url" 60 "$NSCR_PID" || { tail -n 30 "$OUTDIR/$name/registry.log" >&2; return 1; }
  python3 "$BENCH_DIR/workload.py" run "$url" "$OUTDIR/$name" --pid "$NSCR_PID" --data-dir "$data" \
    --gc-cmd 'curl -fsS -X POST "$BENCH_REGISTRY_URL/api/gc?wait=true"' --name "nscr $name" || true
  stop_pid "$NSCR_PID" Nscr.Gateway
  NSCR_PID=
}

run_nscr filesystem

s3_port=$(free_port)
mkdir -p "$WORK/s3rver"
node --openssl-legacy-provider "$S3RVER/node_modules/s3rver/bin/s3rver.js" -d "$WORK/s3rver" -a 127.0.0.1 \
  -p "$s3_port" --silent --configure-bucket bench >"$OUTDIR/s3rver.log" 2>&1 &
S3_PID=$!
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$s3_port/" && break; sleep 0.1; done
run_nscr s3 NSCR_S3_BUCKET=bench NSCR_S3_ENDPOINT="http://127.0.0.1:$s3_port" NSCR_S3_ACCESS_KEY=S3RVER \
  NSCR_S3_SECRET_KEY=S3RVER NSCR_S3_PATH_STYLE=true
bench_log "objects left in the bucket after the workload's deletes and GC: $(find "$WORK/s3rver/bench" -name '*._S3rver_object' 2>/dev/null | wc -l)"

# compare's columns are named for nscr vs Distribution: here the left one is the filesystem store, the right one S3.
{
  echo "left column (\"nscr\"): filesystem store; right column (\"distribution\"): S3 store on s3rver"
  python3 "$BENCH_DIR/workload.py" compare "$OUTDIR/filesystem" "$OUTDIR/s3" --out "$OUTDIR"
} | tee "$OUTDIR/s3-vs-filesystem.txt"
