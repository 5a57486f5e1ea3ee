#!/usr/bin/env bash
# CNCF Distribution (Debian package docker-registry) for the benchmark: our own minimal config,
# start/stop by pid file, and the offline garbage collection used as the workload's GC hook.
#
#   distribution.sh config WORKDIR PORT   write WORKDIR/config.yml (storage in WORKDIR/data); prints its path
#   distribution.sh start WORKDIR         start it in the background; pid in WORKDIR/registry.pid; waits for /v2/
#   distribution.sh stop WORKDIR          stop the process named in WORKDIR/registry.pid
#   distribution.sh gc WORKDIR            stop, `docker-registry garbage-collect --delete-untagged`, start again
#
# The log goes to WORKDIR/registry.log (or $DIST_LOG). READY_TIMEOUT (s) bounds the wait for /v2/.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=common.sh
. "$HERE/common.sh"

cmd=${1:?usage: distribution.sh config|start|stop|gc WORKDIR [PORT]}
work=${2:?WORKDIR missing}
config=$work/config.yml
pidfile=$work/registry.pid
logfile=${DIST_LOG:-$work/registry.log}

url_of_config() {
  local addr
  addr=$(awk '$1 == "addr:" { print $2 }' "$config")
  echo "http://$addr"
}

start() {
  docker-registry serve "$config" >>"$logfile" 2>&1 </dev/null &
  echo $! >"$pidfile"
  wait_ready "$(url_of_config)" "${READY_TIMEOUT:-60}" "$!"
}

stop() {
  [[ -f $pidfile ]] || return 0
  stop_pid "$(cat "$pidfile")" docker-registry
  rm -f "$pidfile"
}

case $cmd in
  config)
    port=${3:?PORT missing}
    mkdir -p "$work/data"
    # Request logging off and log level warn: the registry under test should not spend its
    # time formatting access logs (nscr runs with Warning too).
    cat >"$config" <<EOF
version: 0.1
log:
  level: warn
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $work/data
  delete:
    enabled: true
  cache:
    blobdescriptor: inmemory
  maintenance:
    uploadpurging:
      enabled: false
http:
  addr: 127.0.0.1:$port
health:
  storagedriver:
    enabled: false
EOF
    echo "$config"
    ;;
  start) start ;;
  stop) stop ;;
  gc)
    t0=$(date +%s.%N)
    stop
    t1=$(date +%s.%N)
    docker-registry garbage-collect --delete-untagged "$config" >"$work/gc.out" 2>&1
    t2=$(date +%s.%N)
    echo "garbage-collect: $(grep -c 'eligible for deletion' "$work/gc.out" || true) blobs eligible for deletion"
    tail -n 3 "$work/gc.out"
    start
    t3=$(date +%s.%N)
    awk -v a="$t0" -v b="$t1" -v c="$t2" -v d="$t3" \
      'BEGIN { printf "stop %.2f s, garbage-collect %.2f s, start until ready %.2f s\n", b - a, c - b, d - c }'
    ;;
  *) echo "unknown command $cmd" >&2; exit 2 ;;
esac
