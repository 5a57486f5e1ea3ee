#!/usr/bin/env bash
# End-to-end check of the nscr image's cluster roles: a private PostgreSQL on loopback (initdb into the work dir, as
# local-cluster.sh does), one `silo` container and one `gateway` container of the same image with --network host,
# sharing a host directory as the blob store; then a push and a pull through the gateway with the Docker client.
# Prints the time of each step. Needs root, dockerd, PostgreSQL's server binaries, curl.
#   deploy/container/smoke-cluster.sh
# Environment: IMAGE (default nscr:smoke; built with build.sh when missing or unless SKIP_BUILD=1), BASE_IMAGE,
# DOCKER_HOST / NSCR_DOCKER_WORK and KEEP_WORK=1 as for smoke.sh.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=deploy/container/lib.sh disable=SC1091
. "$HERE/lib.sh"

IMAGE=${IMAGE:-nscr:smoke}
WORK=$(mktemp -d "${TMPDIR:-/var/tmp}/nscr-smoke-cluster.XXXXXX")
chmod 0755 "$WORK"
SILO=nscr-smoke-silo-$$
GATEWAY=nscr-smoke-gateway-$$
PG_USER=postgres
START=$SECONDS
step() { log "[$((SECONDS - START))s] $*"; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
as_pg() { if [[ $(id -u) -eq 0 ]]; then runuser -u "$PG_USER" -- "$@"; else "$@"; fi; }
PG_BIN=$(find /usr/lib/postgresql -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -n 1)
[[ -x $PG_BIN/initdb ]] || { echo "PostgreSQL is not installed (apt-get install -y postgresql)" >&2; exit 2; }

cleanup() {
  local rc=$?
  trap - EXIT
  if [[ $rc -ne 0 ]]; then
    for container in "$SILO" "$GATEWAY"; do
      docker logs --tail 40 "$container" 2>&1 | sed "s/^/$container: /" >&2 || true
    done
  fi
  docker rm -f "$GATEWAY" "$SILO" >/dev/null 2>&1 || true
  if [[ -f $WORK/pg/data/postmaster.pid ]]; then as_pg "$PG_BIN/pg_ctl" -D "$WORK/pg/data" -m fast -w stop >/dev/null 2>&1 || true; fi
  docker_down
  if [[ ${KEEP_WORK:-0} == 1 ]]; then log "work dir kept: $WORK"; else rm -rf "$WORK"; fi
  exit "$rc"
}
trap cleanup EXIT

docker_up "${NSCR_DOCKER_WORK:-/var/tmp/nscr-docker}"
if [[ ${SKIP_BUILD:-0} != 1 ]] || ! docker image inspect "$IMAGE" >/dev/null 2>&1; then
  step "build.sh $IMAGE"
  BUILDER=docker "$HERE/build.sh" "$IMAGE" >/dev/null
fi

PG_PORT=$(free_port)
step "PostgreSQL on 127.0.0.1:$PG_PORT"
mkdir -p "$WORK/pg"
[[ $(id -u) -eq 0 ]] && chown "$PG_USER" "$WORK/pg"
as_pg "$PG_BIN/initdb" -D "$WORK/pg/data" -U nscr --auth=trust -E UTF8 --no-sync >"$WORK/initdb.log" 2>&1 \
  || { cat "$WORK/initdb.log" >&2; exit 1; }
as_pg "$PG_BIN/pg_ctl" -D "$WORK/pg/data" -l "$WORK/pg/server.log" -w -t 60 start \
  -o "-c listen_addresses=127.0.0.1 -c port=$PG_PORT -c unix_socket_directories=$WORK/pg -c fsync=off" >/dev/null
"$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U nscr -d postgres -qc 'CREATE DATABASE nscr' >/dev/null
POSTGRES="Host=127.0.0.1;Port=$PG_PORT;Username=nscr;Database=nscr"

# The shared blob store: one host directory both containers mount; they run as uid 10001.
mkdir -p "$WORK/blobs"
chown 10001:10001 "$WORK/blobs"
SILO_PORT=$(free_port)
ORLEANS_GATEWAY_PORT=$(free_port)
HTTP_PORT=$(free_port)
common=(--network host -v "$WORK/blobs:/var/lib/nscr" -e "NSCR_POSTGRES=$POSTGRES" -e NSCR_ADVERTISED_ADDRESS=127.0.0.1)

step "silo container (Orleans ports $SILO_PORT, $ORLEANS_GATEWAY_PORT)"
docker run -d --name "$SILO" "${common[@]}" -e NSCR_SILO_PORT="$SILO_PORT" -e NSCR_GATEWAY_PORT="$ORLEANS_GATEWAY_PORT" \
  "$IMAGE" silo >/dev/null
for _ in $(seq 1 600); do
  docker exec "$SILO" /usr/local/bin/nscr-healthcheck 2>/dev/null && break
  [[ $(docker inspect -f '{{.State.Running}}' "$SILO") == true ]] || { echo "the silo exited" >&2; exit 1; }
  sleep 0.2
done
docker exec "$SILO" /usr/local/bin/nscr-healthcheck || { echo "the silo's Orleans gateway port does not answer" >&2; exit 1; }
step "silo up"

step "gateway container (HTTP $HTTP_PORT)"
docker run -d --name "$GATEWAY" "${common[@]}" -e NSCR_PORT="$HTTP_PORT" -e NSCR_LISTEN_ADDRESS=127.0.0.1 "$IMAGE" gateway >/dev/null
URL=http://127.0.0.1:$HTTP_PORT
for _ in $(seq 1 600); do
  curl -fs "$URL/readyz" >/dev/null 2>&1 && break
  [[ $(docker inspect -f '{{.State.Running}}' "$GATEWAY") == true ]] || { echo "the gateway exited" >&2; exit 1; }
  sleep 0.2
done
READY=$(curl -s "$URL/readyz")
if ! grep -q '"database":"ok"' <<<"$READY" || ! grep -q '"orleans":"ok"' <<<"$READY"; then
  echo "the gateway is not ready: $READY" >&2
  exit 1
fi
docker exec "$GATEWAY" /usr/local/bin/nscr-healthcheck || { echo "the gateway's HEALTHCHECK command fails" >&2; exit 1; }
for container in "$SILO" "$GATEWAY"; do
  [[ $(docker exec "$container" id -un) == nscr ]] || { echo "$container does not run as nscr" >&2; exit 1; }
done
step "gateway ready: $READY"

step "docker push and pull through the gateway"
REF=127.0.0.1:$HTTP_PORT/smoke/cluster:1
push_pull_roundtrip "$IMAGE" "$REF" "$WORK"
CATALOG=$(curl -fs "$URL/v2/_catalog")
grep -q '"smoke/cluster"' <<<"$CATALOG" || { echo "smoke/cluster not in the catalog: $CATALOG" >&2; exit 1; }
# The layers went to the shared host directory, and the cluster state to PostgreSQL (no SQLite file anywhere).
BLOBS=$(find "$WORK/blobs" -type f -path '*blobs*' | wc -l)
[[ $BLOBS -gt 0 ]] || { echo "no blob in the shared directory" >&2; exit 1; }
[[ ! -e $WORK/blobs/nscr.db ]] || { echo "a cluster process made an SQLite database" >&2; exit 1; }
MEMBERS=$("$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U nscr -d nscr -Atc 'SELECT count(*) FROM nscr_membership WHERE status = 3')
[[ $MEMBERS -ge 1 ]] || { echo "no active silo in PostgreSQL's membership table" >&2; exit 1; }
step "ok: $BLOBS blob files in the shared directory, $MEMBERS active silo(s); image $(docker image inspect -f '{{.Size}}' "$IMAGE" | awk '{printf "%.0f MB", $1/1e6}')"
