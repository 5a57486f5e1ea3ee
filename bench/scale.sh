#!/usr/bin/env bash
# The scale benchmark of issue 13, nscr and CNCF Distribution in the same run:  bench/scale.sh [OUTDIR]
#
# Builds the load client (bench/Scale) and nscr (Release), then, one registry after the other on 127.0.0.1 with empty
# temporary storage: many tags into one repository, many small repositories on a mounted shared base, full walks of
# tags/list and _catalog and the admin API calls, a GC with nothing to collect, deletes of half the repositories'
# images, a GC after them. Samples the registry's RSS every 0.2 s and its CPU seconds per phase; prints the table
# (figure, nscr, Distribution, ratio, target) and writes OUTDIR/scale.txt, OUTDIR/scale.json (default
# bench/out/scale-<timestamp>).
#
# Environment (all optional; see bench/README.md):
#   SCALE_TAGS (10000) SCALE_REPOS (5000) SCALE_TAGS_PER_REPO (4) SCALE_CLIENTS (8) SCALE_SLICE (1000)
#   SCALE_PAGE (1000) SCALE_REPEAT (5) SCALE_LAYER_BYTES (1024) SCALE_SEED (nscr-scale-v1)
#   BENCH_SMOKE=1            a ~1-minute check: 200 tags, 100 repositories, slices and pages of 50
#   BENCH_DIST_GC_TIMEOUT    seconds Distribution's offline garbage-collect may take (120; 30 in smoke)
#   BENCH_IDLE_SECONDS       wait after start before the idle RSS is read (5)
#   BENCH_PUBLISH_DIR=DIR    use this `dotnet publish` output of src/Gateway instead of building
#   BENCH_LOG_LEVEL          nscr's default log level (Warning)
#   ORDER                    "nscr distribution" (default) or "distribution nscr"
#   BENCH_WORK_PARENT        parent of the temporary work dir (/var/tmp); KEEP_WORK=1 keeps it
set -euo pipefail
BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$BENCH_DIR/.." && pwd)
# shellcheck source=lib/common.sh
. "$BENCH_DIR/lib/common.sh"

if [[ ${BENCH_SMOKE:-0} == 1 ]]; then
  : "${SCALE_TAGS:=200}" "${SCALE_REPOS:=100}" "${SCALE_SLICE:=50}" "${SCALE_PAGE:=50}" "${SCALE_REPEAT:=3}"
  : "${BENCH_DIST_GC_TIMEOUT:=30}" "${BENCH_IDLE_SECONDS:=2}"
fi
SHAPE=(--tags "${SCALE_TAGS:-10000}" --repos "${SCALE_REPOS:-5000}" --tags-per-repo "${SCALE_TAGS_PER_REPO:-4}"
  --clients "${SCALE_CLIENTS:-8}" --slice "${SCALE_SLICE:-1000}" --page "${SCALE_PAGE:-1000}"
  --repeat "${SCALE_REPEAT:-5}" --layer-bytes "${SCALE_LAYER_BYTES:-1024}" --seed "${SCALE_SEED:-nscr-scale-v1}")
DIST_GC_TIMEOUT=${BENCH_DIST_GC_TIMEOUT:-120}
CLK_TCK=$(getconf CLK_TCK)

OUTDIR=${1:-$BENCH_DIR/out/scale-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$OUTDIR"
OUTDIR=$(cd "$OUTDIR" && pwd)
WORK=$(mktemp -d "${BENCH_WORK_PARENT:-/var/tmp}/nscr-scale-work.XXXXXX")
NSCR_PID=
SAMPLER=

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  [[ -n $CHILD ]] && kill -TERM -- "-$CHILD" 2>/dev/null
  [[ -n $SAMPLER ]] && kill "$SAMPLER" 2>/dev/null
  [[ -n $NSCR_PID ]] && stop_pid "$NSCR_PID" Nscr.Gateway
  [[ -f $WORK/distribution/registry.pid ]] && "$BENCH_DIR/lib/distribution.sh" stop "$WORK/distribution"
  if [[ ${KEEP_WORK:-0} == 1 ]]; then bench_log "work dir kept: $WORK"; else rm -rf "$WORK"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

need curl curl; need docker-registry docker-registry; need dotnet "the .NET 10 SDK"

# 1. the load client and nscr, Release
bench_log "building bench/Scale (log: $OUTDIR/build.log)"
if ! run_child dotnet build "$BENCH_DIR/Scale/Scale.csproj" -c Release >"$OUTDIR/build.log" 2>&1; then
  tail -n 30 "$OUTDIR/build.log" >&2
  exit 1
fi
if [[ -n ${BENCH_PUBLISH_DIR:-} ]]; then
  PUBLISH=$(cd "$BENCH_PUBLISH_DIR" && pwd)
else
  PUBLISH=$WORK/nscr-publish
  bench_log "dotnet publish src/Gateway -c Release (log: $OUTDIR/build.log)"
  if ! run_child dotnet publish "$REPO/src/Gateway" -c Release -o "$PUBLISH" >>"$OUTDIR/build.log" 2>&1; then
    tail -n 30 "$OUTDIR/build.log" >&2
    exit 1
  fi
fi
CLIENT=$BENCH_DIR/Scale/bin/Release/net10.0/Nscr.Scale
[[ -f $PUBLISH/Nscr.Gateway.dll ]] || { echo "no Nscr.Gateway.dll in $PUBLISH" >&2; exit 1; }
NSCR_VERSION=$(git -C "$REPO" describe --always --dirty 2>/dev/null || echo unknown)
DIST_VERSION=$(dpkg-query -W -f '${Version}' docker-registry 2>/dev/null || echo unknown)

# The registry's PID is read from SLOT/registry.pid at every sample: Distribution's offline GC restarts it.
pid_of() { cat "$1/registry.pid" 2>/dev/null || true; }

# status_kib PID FIELD: a /proc/PID/status field (VmRSS, VmHWM) in KiB, empty when the process is gone.
status_kib() {
  local key value _
  while read -r key value _; do
    [[ $key == "$2:" ]] && { echo "$value"; return; }
  done <"/proc/$1/status" 2>/dev/null || true
}

# cpu_ticks PID: user + system clock ticks of the process (/proc/PID/stat fields 14 and 15).
cpu_ticks() {
  local stat fields
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || { echo 0; return; }
  read -ra fields <<<"${stat##*) }"
  echo $((fields[11] + fields[12]))
}

# sample_rss SLOT: VmRSS every 0.2 s into SLOT/rss.tsv (seconds, PID, KiB) until killed.
sample_rss() {
  local slot=$1 pid kib tenths start=${EPOCHREALTIME/./}
  while :; do
    pid=$(pid_of "$slot")
    if [[ -n $pid ]]; then
      kib=$(status_kib "$pid" VmRSS)
      tenths=$(((${EPOCHREALTIME/./} - start) / 100000))
      [[ -n $kib ]] && printf '%d.%d\t%s\t%s\n' $((tenths / 10)) $((tenths % 10)) "$pid" "$kib" >>"$slot/rss.tsv"
    fi
    sleep 0.2
  done
}

# note_hwm SLOT: keeps the largest VmHWM seen of the registry's processes (read before each stop).
note_hwm() {
  local pid kib
  pid=$(pid_of "$1")
  [[ -n $pid ]] || return 0
  kib=$(status_kib "$pid" VmHWM)
  [[ -n $kib ]] && echo "$kib" >>"$1/hwm"
  return 0
}

# result SLOT JSON: one result line of the script (the client writes the others).
result() { echo "$2" >>"$1/results.jsonl"; }

# phase SLOT NAME CLIENT-ARGS...: runs the client phase, appends its JSON lines, and the registry's CPU seconds and
# the wall time as {"phase":NAME,"figure":"cpu"}.
phase() {
  local slot=$1 name=$2 pid before after t0 t1
  shift 2
  pid=$(pid_of "$slot")
  before=$(cpu_ticks "$pid")
  t0=$EPOCHREALTIME
  bench_log "  $name"
  if ! run_child "$CLIENT" "$@" --url "$URL" "${SHAPE[@]}" >>"$slot/results.jsonl" 2>>"$slot/client.log"; then
    tail -n 5 "$slot/client.log" >&2
    return 1
  fi
  t1=$EPOCHREALTIME
  after=$(cpu_ticks "$pid")
  result "$slot" "$(awk -v n="$name" -v c=$((after - before)) -v hz="$CLK_TCK" -v a="$t0" -v b="$t1" \
    'BEGIN { printf "{\"phase\":\"%s\",\"figure\":\"cpu\",\"cpu_s\":%.2f,\"wall_s\":%.3f}", n, c / hz, b - a }')"
}

# started SLOT: the idle RSS a few seconds after ready, then the sampler in the background.
started() {
  local slot=$1 kib
  sleep "${BENCH_IDLE_SECONDS:-5}"
  kib=$(status_kib "$(pid_of "$slot")" VmRSS)
  result "$slot" "{\"phase\":\"idle\",\"figure\":\"rss\",\"rss_mib\":$(awk -v k="${kib:-0}" 'BEGIN { printf "%.1f", k / 1024 }')}"
  : >"$slot/rss.tsv"
  sample_rss "$slot" &
  SAMPLER=$!
}

# finished SLOT: stops the sampler; peak RSS = the larger of the samples and every VmHWM noted.
finished() {
  local slot=$1
  note_hwm "$slot"
  kill "$SAMPLER" 2>/dev/null || true
  wait "$SAMPLER" 2>/dev/null || true
  SAMPLER=
  result "$slot" "$(awk -v hwm="$(sort -n "$slot/hwm" 2>/dev/null | tail -n 1)" '
    { if ($3 > rss) rss = $3; n++ }
    END { peak = rss > hwm + 0 ? rss : hwm + 0
          printf "{\"phase\":\"run\",\"figure\":\"memory\",\"peak_rss_mib\":%.1f,\"hwm_mib\":%.1f,\"samples\":%d}", peak / 1024, hwm / 1024, n }' "$slot/rss.tsv")"
}

# the phases, the same for both registries; GC_STEP names the function that collects (online or offline)
run_phases() {
  local slot=$1
  phase "$slot" push-one-repo push-one-repo &&
    phase "$slot" push-many-repos push-many-repos &&
    phase "$slot" reads reads &&
    "$GC_STEP" "$slot" gc-empty &&
    phase "$slot" delete-half delete-half &&
    "$GC_STEP" "$slot" gc-after-delete
}

# nscr: online, POST /api/gc?wait=true (timed by the client)
nscr_gc() { phase "$1" "$2" gc --label "$2"; }

# measure SLOT GC_STEP READY_STATUS: the phases and the memory figures, once the registry answers (status 0)
measure() {
  if (($3 != 0)); then
    tail -n 30 "$1/registry.log" >&2
    FAILED=1
    return
  fi
  started "$1"
  GC_STEP=$2 run_phases "$1" || FAILED=1
  finished "$1"
}

FAILED=0
bench_nscr() {
  local slot=$OUTDIR/nscr port data=$WORK/nscr-data
  port=$(free_port)
  URL=http://127.0.0.1:$port
  mkdir -p "$data" "$slot"
  : >"$slot/results.jsonl"
  bench_log "nscr ($NSCR_VERSION) on $URL"
  start_nscr "$PUBLISH" "$port" "$data" "$slot/registry.log"
  echo "$NSCR_PID" >"$slot/registry.pid"
  local ready=0
  wait_ready "$URL" "${READY_TIMEOUT:-60}" "$NSCR_PID" || ready=$?
  measure "$slot" nscr_gc "$ready"
  stop_pid "$NSCR_PID" Nscr.Gateway
  NSCR_PID=
  rm -f "$slot/registry.pid"
}

# Distribution: offline, stop + `garbage-collect --delete-untagged` (at most DIST_GC_TIMEOUT s) + start
dist_gc() {
  local slot=$1 name=$2 work=$WORK/distribution t0 t1 rc=0 blobs
  bench_log "  $name (offline, at most $DIST_GC_TIMEOUT s)"
  note_hwm "$slot"
  "$BENCH_DIR/lib/distribution.sh" stop "$work"
  rm -f "$slot/registry.pid"
  t0=$EPOCHREALTIME
  run_child timeout "$DIST_GC_TIMEOUT" docker-registry garbage-collect --delete-untagged "$work/config.yml" \
    >"$slot/$name.out" 2>&1 || rc=$?
  t1=$EPOCHREALTIME
  blobs=$(grep -c 'blob eligible for deletion' "$slot/$name.out" || true)
  local finished=true
  ((rc == 124)) && finished=false
  ((rc == 0 || rc == 124)) || { bench_log "garbage-collect failed ($rc): $(tail -n 1 "$slot/$name.out")"; return 1; }
  result "$slot" "$(awk -v n="$name" -v f="$finished" -v a="$t0" -v b="$t1" -v t="$DIST_GC_TIMEOUT" -v d="${blobs:-0}" \
    'BEGIN { printf "{\"phase\":\"%s\",\"figure\":\"gc\",\"finished\":%s,\"seconds\":%.3f,\"timeout_s\":%d,\"deleted_blobs\":%s}", n, f, b - a, t, f == "true" ? d : "null" }')"
  DIST_LOG=$slot/registry.log "$BENCH_DIR/lib/distribution.sh" start "$work" || return 1
  cp "$work/registry.pid" "$slot/registry.pid"
}

bench_distribution() {
  local slot=$OUTDIR/distribution work=$WORK/distribution port
  port=$(free_port)
  URL=http://127.0.0.1:$port
  mkdir -p "$work" "$slot"
  : >"$slot/results.jsonl"
  "$BENCH_DIR/lib/distribution.sh" config "$work" "$port" >/dev/null
  cp "$work/config.yml" "$slot/config.yml"
  bench_log "distribution $DIST_VERSION on $URL"
  local ready=0
  DIST_LOG=$slot/registry.log "$BENCH_DIR/lib/distribution.sh" start "$work" || ready=$?
  cp "$work/registry.pid" "$slot/registry.pid" 2>/dev/null || true
  measure "$slot" dist_gc "$ready"
  "$BENCH_DIR/lib/distribution.sh" stop "$work"
  rm -f "$slot/registry.pid"
}

for registry in ${ORDER:-nscr distribution}; do
  case $registry in
    nscr) bench_nscr ;;
    distribution) bench_distribution ;;
    *) echo "ORDER: unknown registry $registry" >&2; exit 2 ;;
  esac
done

echo
"$CLIENT" report "$OUTDIR" || FAILED=1
echo "results in $OUTDIR"
exit "$FAILED"
