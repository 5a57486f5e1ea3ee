#!/usr/bin/env bash
# A whole nscr cluster on this machine, for trying it out and for the end-to-end tests:
# a private PostgreSQL, N silos (Nscr.Silo), M gateways (Nscr.Gateway, NSCR_ROLE=gateway) and nginx as the load
# balancer, all on loopback, all state (database, shared blob dir, logs, pid files) under one directory.
# Nothing touches a system service; `down` stops exactly what `up` started (by pid file).
#
#   deploy/local-cluster.sh up | down | status | kill-silo N | start-silo N | stop-silo N | env
#
# Settings (environment):
#   NSCR_CLUSTER_DIR        state directory                       /tmp/nscr-cluster
#   NSCR_CLUSTER_PORT_BASE  first port of the range used          7100
#       load balancer = base, gateway i = base+i, PostgreSQL = base+9,
#       silo i: silo port base+10+i, Orleans gateway port base+20+i
#   NSCR_CLUSTER_LB_PORT, NSCR_CLUSTER_PG_PORT   override those two
#   NSCR_CLUSTER_SILOS (3), NSCR_CLUSTER_GATEWAYS (2)
#   NSCR_CLUSTER_BIN        directory holding Nscr.Gateway.dll and Nscr.Silo.dll (default: the build outputs of
#                           this checkout, src/{Gateway,Silo}/bin/<configuration>/net10.0, built when missing)
#   NSCR_CLUSTER_CONFIGURATION  build configuration of those outputs (Release)
#   NSCR_CLUSTER_READY_TIMEOUT  seconds to wait for the load balancer (120)
#   NSCR_CLUSTER_PG_USER    OS user running PostgreSQL when this script runs as root (postgres)
#   Every other NSCR_* variable (NSCR_GC_INTERVAL, NSCR_GC_GRACE, ...) reaches every silo and gateway:
#   a cluster must agree on them.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
state=${NSCR_CLUSTER_DIR:-/tmp/nscr-cluster}
base=${NSCR_CLUSTER_PORT_BASE:-7100}
lb_port=${NSCR_CLUSTER_LB_PORT:-$base}
pg_port=${NSCR_CLUSTER_PG_PORT:-$((base + 9))}
silos=${NSCR_CLUSTER_SILOS:-3}
gateways=${NSCR_CLUSTER_GATEWAYS:-2}
ready_timeout=${NSCR_CLUSTER_READY_TIMEOUT:-120}
pg_user=${NSCR_CLUSTER_PG_USER:-postgres}
dotnet=${DOTNET_HOST_PATH:-$(command -v dotnet || echo dotnet)}
configuration=${NSCR_CLUSTER_CONFIGURATION:-Release}

pids="$state/pids"
logs="$state/logs"
pgdata="$state/postgres/data"
pgsock="$state/postgres/run"
blobs="$state/data"
nginx_dir="$state/nginx"

die() {
  echo "local-cluster: $*" >&2
  exit 1
}
say() { echo "local-cluster: $*" >&2; }

gateway_port() { echo $((base + $1)); }
silo_port() { echo $((base + 10 + $1)); }
silo_gateway_port() { echo $((base + 20 + $1)); }

# --- prerequisites -------------------------------------------------------------------------------------------

pg_bindir() {
  local dir
  dir=$(find /usr/lib/postgresql -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -n 1)
  if [[ -n "$dir" && -x "$dir/initdb" ]]; then
    echo "$dir"
  elif command -v initdb >/dev/null 2>&1; then
    dirname "$(command -v initdb)"
  else
    return 1
  fi
}

nginx_bin() { command -v nginx 2>/dev/null || { [[ -x /usr/sbin/nginx ]] && echo /usr/sbin/nginx; }; }

# Installs postgresql and nginx with apt when root and missing; policy-rc.d on Debian images keeps the packaged
# services from starting, and this script never starts them anyway.
ensure_packages() {
  local missing=()
  pg_bindir >/dev/null || missing+=(postgresql)
  nginx_bin >/dev/null || missing+=(nginx-light)
  command -v curl >/dev/null 2>&1 || missing+=(curl)
  ((${#missing[@]} == 0)) && return 0
  [[ $(id -u) -eq 0 ]] || die "missing ${missing[*]}: install them (apt-get install ${missing[*]})"
  say "installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -q "${missing[@]}" >&2 ||
    { apt-get -o DPkg::Lock::Timeout=300 update -q >&2 &&
      DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -q "${missing[@]}" >&2; }
}

bin_dir_for() { # project assembly -> directory
  if [[ -n "${NSCR_CLUSTER_BIN:-}" ]]; then
    echo "$NSCR_CLUSTER_BIN"
  else
    echo "$repo/src/$1/bin/$configuration/net10.0"
  fi
}

ensure_binaries() {
  local gateway_dll silo_dll
  gateway_dll="$(bin_dir_for Gateway)/Nscr.Gateway.dll"
  silo_dll="$(bin_dir_for Silo)/Nscr.Silo.dll"
  if [[ ! -f "$gateway_dll" || ! -f "$silo_dll" ]]; then
    [[ -z "${NSCR_CLUSTER_BIN:-}" ]] || die "no Nscr.Gateway.dll and Nscr.Silo.dll in $NSCR_CLUSTER_BIN"
    say "building $configuration outputs"
    "$dotnet" build "$repo/src/Silo/Silo.csproj" -c "$configuration" -v q -nologo >&2
    "$dotnet" build "$repo/src/Gateway/Gateway.csproj" -c "$configuration" -v q -nologo >&2
  fi
  [[ -f "$gateway_dll" && -f "$silo_dll" ]] || die "build produced no $gateway_dll / $silo_dll"
}

# --- process bookkeeping -------------------------------------------------------------------------------------

pid_of() { [[ -f "$pids/$1.pid" ]] && cat "$pids/$1.pid"; }

# Alive and still the process we started (the pid file could outlive it and the pid be reused).
running() {
  local pid
  pid=$(pid_of "$1") || return 1
  [[ -n "$pid" && -r "/proc/$pid/cmdline" ]] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- "$2"
}

# The pid file's process exists (just started: it may not have exec'd into its program yet).
alive() {
  local pid
  pid=$(pid_of "$1") || return 1
  [[ -n "$pid" && -r "/proc/$pid/stat" ]] || return 1
  # A child that died before this script waited for it is a zombie: dead.
  [[ "$(sed 's/.*) //' "/proc/$pid/stat" 2>/dev/null | cut -d' ' -f1)" != Z ]]
}

# The marker a component's command line contains, so `running` can recognise it.
marker_of() {
  case "$1" in
    silo*) echo "Nscr.Silo.dll" ;;
    gateway*) echo "Nscr.Gateway.dll" ;;
    nginx) echo "nginx" ;;
    postgres) echo "postgres" ;;
  esac
}

wait_for_port() { # port seconds [component whose death ends the wait]
  local deadline=$((SECONDS + $2))
  until (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; do
    ((SECONDS < deadline)) || return 1
    [[ -z "${3:-}" ]] || alive "$3" || return 1
    sleep 0.2
  done
}

wait_for_http() { # url seconds [component whose death ends the wait]
  local deadline=$((SECONDS + $2))
  until [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$1" 2>/dev/null)" == 200 ]]; do
    ((SECONDS < deadline)) || return 1
    [[ -z "${3:-}" ]] || alive "$3" || return 1
    sleep 0.3
  done
}

stop_pid() { # name
  local name=$1 pid deadline
  if ! running "$name" "$(marker_of "$name")"; then
    rm -f "$pids/$name.pid"
    return 0
  fi
  pid=$(pid_of "$name")
  kill -TERM "$pid" 2>/dev/null || true
  deadline=$((SECONDS + 30))
  while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
  if kill -0 "$pid" 2>/dev/null; then
    say "$name ($pid) did not stop in 30 s: SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$pids/$name.pid"
  say "stopped $name ($pid)"
}

# --- PostgreSQL ----------------------------------------------------------------------------------------------

as_pg_user() {
  if [[ $(id -u) -eq 0 ]]; then
    runuser -u "$pg_user" -- "$@"
  else
    "$@"
  fi
}

connection_string() {
  echo "Host=127.0.0.1;Port=$pg_port;Username=nscr;Password=$(cat "$state/postgres/password");Database=nscr"
}

start_postgres() {
  local bindir
  bindir=$(pg_bindir) || die "PostgreSQL not found"
  if [[ $(id -u) -eq 0 ]] && ! id "$pg_user" >/dev/null 2>&1; then
    die "user $pg_user does not exist: set NSCR_CLUSTER_PG_USER to a non-root user"
  fi
  mkdir -p "$state/postgres" "$pgsock"
  if [[ $(id -u) -eq 0 ]]; then
    chmod a+x "$state"
    runuser -u "$pg_user" -- test -x "$state/postgres" ||
      die "$pg_user cannot reach $state (a parent directory is private): choose another NSCR_CLUSTER_DIR"
  fi
  if [[ ! -f "$pgdata/PG_VERSION" ]]; then
    say "initdb $pgdata"
    (umask 077 && head -c 18 /dev/urandom | base64 | tr '+/' '-_' >"$state/postgres/password")
    mkdir -p "$pgdata"
    if [[ $(id -u) -eq 0 ]]; then chown -R "$pg_user" "$state/postgres"; fi
    as_pg_user "$bindir/initdb" -D "$pgdata" -U nscr -A scram-sha-256 --pwfile="$state/postgres/password" \
      -E UTF8 --locale=C.UTF-8 >"$logs/initdb.log" 2>&1 || die "initdb failed: see $logs/initdb.log"
  fi
  if ! as_pg_user "$bindir/pg_ctl" -D "$pgdata" status >/dev/null 2>&1; then
    touch "$logs/postgres.log"
    if [[ $(id -u) -eq 0 ]]; then chown "$pg_user" "$pgsock" "$logs/postgres.log"; fi
    as_pg_user "$bindir/pg_ctl" -D "$pgdata" -l "$logs/postgres.log" -w -t 60 start \
      -o "-c listen_addresses=127.0.0.1 -c port=$pg_port -c unix_socket_directories=$pgsock -c max_connections=200" \
      >/dev/null || die "PostgreSQL did not start: see $logs/postgres.log"
  fi
  head -n 1 "$pgdata/postmaster.pid" >"$pids/postgres.pid"
  if ! PGPASSWORD=$(cat "$state/postgres/password") "$bindir/psql" -h 127.0.0.1 -p "$pg_port" -U nscr -d postgres \
    -Atqc "select 1 from pg_database where datname = 'nscr'" | grep -q 1; then
    PGPASSWORD=$(cat "$state/postgres/password") "$bindir/psql" -h 127.0.0.1 -p "$pg_port" -U nscr -d postgres \
      -qc "create database nscr" >/dev/null
  fi
  say "PostgreSQL on 127.0.0.1:$pg_port"
}

stop_postgres() {
  local bindir
  [[ -f "$pgdata/PG_VERSION" ]] || return 0
  bindir=$(pg_bindir) || return 0
  if as_pg_user "$bindir/pg_ctl" -D "$pgdata" status >/dev/null 2>&1; then
    as_pg_user "$bindir/pg_ctl" -D "$pgdata" -m fast -w -t 60 stop >/dev/null
    say "stopped PostgreSQL"
  fi
  rm -f "$pids/postgres.pid"
}

# --- nscr processes ------------------------------------------------------------------------------------------

# Starts `dotnet <dll>` detached, output to its log, pid into its pid file. Extra arguments are NAME=VALUE settings.
launch() { # name dll settings...
  local name=$1 dll=$2
  shift 2
  running "$name" "$(basename "$dll")" && return 0
  (
    cd "$state"
    # This script's own settings are not registry settings.
    unset NSCR_CLUSTER_DIR NSCR_CLUSTER_PORT_BASE NSCR_CLUSTER_LB_PORT NSCR_CLUSTER_PG_PORT NSCR_CLUSTER_SILOS \
      NSCR_CLUSTER_GATEWAYS NSCR_CLUSTER_BIN NSCR_CLUSTER_READY_TIMEOUT NSCR_CLUSTER_PG_USER NSCR_CLUSTER_CONFIGURATION
    export NSCR_POSTGRES NSCR_DATA_DIR="$blobs" NSCR_ADVERTISED_ADDRESS=127.0.0.1
    export DOTNET_GCgen0size=${DOTNET_GCgen0size:-0x400000} DOTNET_NOLOGO=1 Logging__LogLevel__Polly=Warning
    for setting in "$@"; do export "${setting?}"; done
    exec setsid "$dotnet" "$dll" </dev/null >>"$logs/$name.log" 2>&1
  ) &
  echo $! >"$pids/$name.pid"
}

start_silo() { # index
  local i=$1
  launch "silo$i" "$(bin_dir_for Silo)/Nscr.Silo.dll" \
    NSCR_SILO_PORT="$(silo_port "$i")" NSCR_GATEWAY_PORT="$(silo_gateway_port "$i")"
}

wait_for_silo() { # index
  wait_for_port "$(silo_gateway_port "$1")" "$ready_timeout" "silo$1" ||
    die "silo$1 did not open its gateway port $(silo_gateway_port "$1"): see $logs/silo$1.log"
  say "silo$1 up (silo port $(silo_port "$1"), gateway port $(silo_gateway_port "$1"))"
}

start_gateway() { # index
  local i=$1
  launch "gateway$i" "$(bin_dir_for Gateway)/Nscr.Gateway.dll" \
    NSCR_ROLE=gateway NSCR_PORT="$(gateway_port "$i")" NSCR_LISTEN_ADDRESS=127.0.0.1
}

# --- nginx ---------------------------------------------------------------------------------------------------

write_nginx_config() {
  local i servers=""
  for ((i = 1; i <= gateways; i++)); do
    servers+="        server 127.0.0.1:$(gateway_port "$i") max_fails=1 fail_timeout=2s;"$'\n'
  done
  mkdir -p "$nginx_dir/tmp"
  cat >"$nginx_dir/nginx.conf" <<EOF
# Generated by deploy/local-cluster.sh: the load balancer in front of the nscr gateways.
worker_processes 1;
daemon off;
pid $nginx_dir/nginx.pid;
error_log $logs/nginx-error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $nginx_dir/tmp/body;
    proxy_temp_path $nginx_dir/tmp/proxy;
    fastcgi_temp_path $nginx_dir/tmp/fastcgi;
    uwsgi_temp_path $nginx_dir/tmp/uwsgi;
    scgi_temp_path $nginx_dir/tmp/scgi;
    upstream nscr {
$servers        keepalive 32;
    }
    server {
        listen 127.0.0.1:$lb_port;
        # Layers are streamed both ways: no size cap, no buffering of request or response bodies.
        client_max_body_size 0;
        proxy_request_buffering off;
        proxy_buffering off;
        location / {
            proxy_pass http://nscr;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            # The gateways build Location headers and token realms from what the client asked for.
            proxy_set_header Host \$http_host;
            proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto \$scheme;
            proxy_connect_timeout 5s;
            proxy_send_timeout 1h;
            proxy_read_timeout 1h;
            send_timeout 1h;
            # A gateway that is down is skipped; a request that reached one is never replayed (nginx does not
            # retry POST/PATCH/PUT anyway).
            proxy_next_upstream error timeout http_502;
        }
    }
}
EOF
}

start_nginx() {
  local bin
  running nginx nginx && return 0
  bin=$(nginx_bin) || die "nginx not found"
  write_nginx_config
  "$bin" -t -q -c "$nginx_dir/nginx.conf" -p "$nginx_dir" 2>>"$logs/nginx-error.log" ||
    die "invalid nginx config: see $logs/nginx-error.log"
  setsid "$bin" -c "$nginx_dir/nginx.conf" -p "$nginx_dir" </dev/null >>"$logs/nginx.log" 2>&1 &
  echo $! >"$pids/nginx.pid"
}

# --- commands ------------------------------------------------------------------------------------------------

up() {
  local i
  ensure_packages
  ensure_binaries
  mkdir -p "$pids" "$logs" "$blobs"
  start_postgres
  NSCR_POSTGRES=$(connection_string)
  # The first silo alone creates the schema; the others join it.
  if ((silos > 0)); then
    start_silo 1
    wait_for_silo 1
  fi
  for ((i = 2; i <= silos; i++)); do start_silo "$i"; done
  for ((i = 2; i <= silos; i++)); do wait_for_silo "$i"; done
  for ((i = 1; i <= gateways; i++)); do start_gateway "$i"; done
  for ((i = 1; i <= gateways; i++)); do
    wait_for_http "http://127.0.0.1:$(gateway_port "$i")/v2/" "$ready_timeout" "gateway$i" ||
      die "gateway$i not ready on port $(gateway_port "$i"): see $logs/gateway$i.log"
    say "gateway$i up on 127.0.0.1:$(gateway_port "$i")"
  done
  start_nginx
  wait_for_http "http://127.0.0.1:$lb_port/v2/" "$ready_timeout" nginx ||
    die "load balancer not answering on $lb_port: see $logs/nginx-error.log"
  say "ready; state in $state"
  echo "http://127.0.0.1:$lb_port"
}

# Every pid file, whatever counts the cluster was started with: the load balancer first, the database last.
down() {
  local file
  [[ -d "$state" ]] || return 0
  stop_pid nginx
  # Gateways and silos stop in parallel (each leaves the cluster on SIGTERM).
  for file in "$pids"/gateway*.pid "$pids"/silo*.pid; do
    if [[ -f "$file" ]]; then stop_pid "$(basename "$file" .pid)" & fi
  done
  wait
  stop_postgres
}

status() {
  local name pid port rc=0 i
  local -a rows=("postgres:$pg_port" "nginx:$lb_port")
  for ((i = 1; i <= silos; i++)); do rows+=("silo$i:$(silo_port "$i")/$(silo_gateway_port "$i")"); done
  for ((i = 1; i <= gateways; i++)); do rows+=("gateway$i:$(gateway_port "$i")"); done
  printf '%-10s %-8s %-12s %s\n' component pid ports state
  for row in "${rows[@]}"; do
    name=${row%%:*} port=${row#*:}
    pid=$(pid_of "$name" 2>/dev/null || echo -)
    if running "$name" "$(marker_of "$name")"; then
      printf '%-10s %-8s %-12s %s\n' "$name" "$pid" "$port" running
    else
      printf '%-10s %-8s %-12s %s\n' "$name" - "$port" stopped
      rc=3
    fi
  done
  echo "load balancer: http://127.0.0.1:$lb_port   state: $state"
  return $rc
}

silo_index() {
  if ! [[ "${1:-}" =~ ^[0-9]+$ ]] || (($1 < 1 || $1 > silos)); then die "silo index must be 1..$silos"; fi
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  kill-silo)
    silo_index "${2:-}"
    running "silo$2" Nscr.Silo.dll || die "silo$2 is not running"
    kill -KILL "$(pid_of "silo$2")"
    rm -f "$pids/silo$2.pid"
    say "killed silo$2 (SIGKILL)"
    ;;
  stop-silo)
    silo_index "${2:-}"
    stop_pid "silo$2"
    ;;
  start-silo)
    silo_index "${2:-}"
    NSCR_POSTGRES=$(connection_string)
    start_silo "$2"
    wait_for_silo "$2"
    ;;
  env)
    # For tools that talk to the cluster's database directly (nscr migrate, psql).
    echo "NSCR_POSTGRES='$(connection_string)'"
    echo "NSCR_DATA_DIR='$blobs'"
    ;;
  *)
    echo "usage: $0 up|down|status|kill-silo N|start-silo N|stop-silo N|env" >&2
    exit 2
    ;;
esac
