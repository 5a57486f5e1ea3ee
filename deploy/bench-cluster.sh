#!/usr/bin/env bash
# Runs the shared registry benchmark (bench/run.sh of the shared harness) against the load balancer of a local
# cluster (deploy/local-cluster.sh) and then against one embedded node, in the same session, and records the
# memory of every process: peak (VmHWM) and current RSS of PostgreSQL, nginx, each silo and each gateway.
#   deploy/bench-cluster.sh OUTDIR
# Environment: BENCH_HARNESS (default ../shared/bench next to the repository), and the harness's own knobs
# (BIG_MIB, CI_COUNT, HEY_SECONDS, BLOB_SECONDS, SKIP_PHYSICAL, ...), passed through.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=${1:?usage: $0 OUTDIR}
harness=${BENCH_HARNESS:-$repo/../shared/bench}
[[ -x "$harness/run.sh" ]] || harness=/work/shared/bench
[[ -x "$harness/run.sh" ]] || { echo "no benchmark harness (set BENCH_HARNESS)" >&2; exit 1; }
mkdir -p "$out"
out=$(cd "$out" && pwd)

state=$(mktemp -d /tmp/nscr-bench-cluster-XXXXXX)
chmod 755 "$state"
export NSCR_CLUSTER_DIR=$state NSCR_CLUSTER_PORT_BASE=${NSCR_CLUSTER_PORT_BASE:-17500}
embedded_pid=""
cleanup() {
  "$repo/deploy/local-cluster.sh" down >/dev/null 2>&1 || true
  [[ -z "$embedded_pid" ]] || kill "$embedded_pid" 2>/dev/null || true
  rm -rf "$state"
}
trap cleanup EXIT

# One line per component: its processes (PostgreSQL and nginx have children: backends, workers), the sum of their
# RSS and of their PSS (shared pages counted once: PostgreSQL's shared buffers), and the main process's peak RSS.
memory() { # file name=pid...
  local file=$1 entry name pid child
  local -a children files
  shift
  printf 'process\tprocesses\trss_mib\tpss_mib\tpeak_rss_mib\n' >"$file"
  for entry in "$@"; do
    name=${entry%%=*} pid=${entry#*=}
    mapfile -t children < <(pgrep -P "$pid" || true)
    files=("/proc/$pid/status" "/proc/$pid/smaps_rollup")
    for child in "${children[@]}"; do files+=("/proc/$child/status" "/proc/$child/smaps_rollup"); done
    awk -v name="$name" -v n="$((${#children[@]} + 1))" '
      FILENAME ~ /status$/ && /^VmRSS/ { rss += $2 } FILENAME ~ /status$/ && /^VmHWM/ && !hwm { hwm = $2 }
      FILENAME ~ /smaps_rollup$/ && /^Pss:/ { pss += $2 }
      END { printf "%s\t%d\t%.0f\t%.0f\t%.0f\n", name, n, rss / 1024, pss / 1024, hwm / 1024 }' \
      "${files[@]}" 2>/dev/null || true # a backend may exit meanwhile
  done >>"$file"
}

# Run by the harness with bash -c: the variable expands there, not here.
# shellcheck disable=SC2016
gc_hook='curl -fsS -X POST "$BENCH_REGISTRY_URL/api/gc?wait=true" >/dev/null'

pids_of_cluster() {
  local file
  for file in "$state"/pids/*.pid; do echo "$(basename "$file" .pid)=$(cat "$file")"; done
}

# --- cluster ---
NSCR_GC_GRACE=0 "$repo/deploy/local-cluster.sh" up >/dev/null
lb="http://127.0.0.1:$NSCR_CLUSTER_PORT_BASE"
mapfile -t cluster < <(pids_of_cluster)
memory "$out/cluster-memory-idle.tsv" "${cluster[@]}"
GC_HOOK=$gc_hook REGISTRY_NAME="nscr cluster (nginx, 2 gateways, 3 silos)" \
  REGISTRY_DATA_DIR="$state/data" "$harness/run.sh" "$lb" "$out/cluster" "$(cat "$state/pids/gateway1.pid")" ||
  echo "cluster run reported failures" >&2
memory "$out/cluster-memory.tsv" "${cluster[@]}"
"$repo/deploy/local-cluster.sh" down >/dev/null

# --- embedded node ---
data=$(mktemp -d /tmp/nscr-bench-embedded-XXXXXX)
port=$((NSCR_CLUSTER_PORT_BASE + 50))
(
  unset NSCR_CLUSTER_DIR NSCR_CLUSTER_PORT_BASE
  export NSCR_PORT=$port NSCR_DATA_DIR=$data NSCR_LISTEN_ADDRESS=127.0.0.1 NSCR_GC_GRACE=0 DOTNET_GCgen0size=0x400000
  exec dotnet "$repo/src/Gateway/bin/Release/net10.0/Nscr.Gateway.dll" >"$out/embedded.log" 2>&1
) &
embedded_pid=$!
until curl -fs -o /dev/null "http://127.0.0.1:$port/v2/"; do sleep 0.3; done
memory "$out/embedded-memory-idle.tsv" "node=$embedded_pid"
GC_HOOK=$gc_hook REGISTRY_NAME="nscr embedded node" \
  REGISTRY_DATA_DIR="$data" "$harness/run.sh" "http://127.0.0.1:$port" "$out/embedded" "$embedded_pid" ||
  echo "embedded run reported failures" >&2
memory "$out/embedded-memory.tsv" "node=$embedded_pid"
kill "$embedded_pid"
wait "$embedded_pid" || true
embedded_pid=""
rm -rf "$data"

"$harness/compare.sh" "$out/cluster" "$out/embedded" | tee "$out/comparison.txt" || true
for file in "$out"/*memory*.tsv; do echo "== $(basename "$file")" && column -t "$file"; done
