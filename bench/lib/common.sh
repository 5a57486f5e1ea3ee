# shellcheck shell=bash
# Shell helpers shared by bench/compare.sh, bench/scale.sh and bench/lib/distribution.sh (sourced, not run).

bench_log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# A TCP port free on 127.0.0.1 right now (the kernel picks it).
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# wait_ready URL TIMEOUT_S [PID]: until GET URL/v2/ answers 200; fails early if PID exits.
wait_ready() {
  local url=$1 timeout=$2 pid=${3:-} deadline=$((SECONDS + $2))
  while ((SECONDS < deadline)); do
    if [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$url/v2/") == 200 ]]; then
      return 0
    fi
    if [[ -n $pid ]] && ! pid_alive "$pid"; then
      bench_log "process $pid exited before $url/v2/ answered"
      return 1
    fi
    sleep 0.2
  done
  bench_log "$url/v2/ did not answer 200 within ${timeout}s"
  return 1
}

# True while PID runs and is not a zombie.
pid_alive() {
  local state
  state=$(awk '{ sub(/.*\) /, ""); print $1 }' "/proc/$1/stat" 2>/dev/null) || return 1
  [[ -n $state && $state != Z ]]
}

# stop_pid PID EXPECTED_NAME: SIGTERM, up to 15 s for a clean exit, then SIGKILL. Only a process
# whose command line mentions EXPECTED_NAME is signalled (a stale pid file may name a reused PID).
stop_pid() {
  local pid=$1 name=$2 i
  [[ $pid =~ ^[0-9]+$ ]] || return 0
  pid_alive "$pid" || { wait "$pid" 2>/dev/null || true; return 0; }
  if ! tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "$name"; then
    bench_log "not stopping PID $pid: it is not $name"
    return 0
  fi
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 75; i++)); do
    pid_alive "$pid" || break
    sleep 0.2
  done
  if pid_alive "$pid"; then
    bench_log "PID $pid ($name) ignored SIGTERM for 15 s: SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true  # reap it when it is our child
}

# run_child CMD...: runs CMD in its own session and waits for it. A signal to the calling script is
# handled at once (bash defers traps while a foreground child runs, not while it `wait`s), and its
# cleanup can end the whole group with `kill -TERM -- -$CHILD`. setsid does not fork here: a
# background job of a non-interactive shell is no group leader, so $! is CMD's PID and its process
# group id.
CHILD=
run_child() {
  local rc=0
  setsid "$@" &
  CHILD=$!
  wait "$CHILD" || rc=$?
  CHILD=
  return "$rc"
}

# need COMMAND PACKAGE: exit 2 with the apt-get line when COMMAND is missing.
need() { command -v "$1" >/dev/null || { echo "missing $1 (apt-get install -y $2)" >&2; exit 2; }; }

# start_nscr PUBLISH_DIR PORT DATA_DIR LOG: the published gateway in the background on 127.0.0.1:PORT with its data in
# DATA_DIR (empty for a benchmark) and its output in LOG; sets NSCR_PID. GC grace 0, so that a cycle may free every
# unreferenced byte; log level BENCH_LOG_LEVEL (Warning); other NSCR_* variables of the caller pass through.
# DOTNET_GCgen0size: the runtime setting nscr ships with (src/Gateway/Properties/launchSettings.json, deploy/);
# this VM reports a 260 MiB L3 cache, from which .NET would otherwise size a very large gen0 budget.
start_nscr() {
  local publish=$1 port=$2 data=$3 log=$4
  local exe=(dotnet "$publish/Nscr.Gateway.dll")
  [[ -x $publish/Nscr.Gateway ]] && exe=("$publish/Nscr.Gateway")
  NSCR_PORT=$port NSCR_DATA_DIR=$data NSCR_LISTEN_ADDRESS=127.0.0.1 NSCR_GC_GRACE=${NSCR_GC_GRACE:-00:00:00} \
    DOTNET_GCgen0size=${DOTNET_GCgen0size:-0x400000} \
    Logging__LogLevel__Default=${BENCH_LOG_LEVEL:-Warning} \
    "${exe[@]}" >"$log" 2>&1 </dev/null &
  # shellcheck disable=SC2034  # read by the caller
  NSCR_PID=$!
}
