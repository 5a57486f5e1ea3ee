#!/usr/bin/env bash
# End-to-end check of the nscr image in its default (embedded) role: builds it with build.sh on a locally made Debian
# base, runs it, and pushes and pulls an image through it with the Docker client. Prints the time of each step.
# Needs root, debootstrap (first run), dockerd, curl. deploy/container/smoke-cluster.sh does the same for a cluster.
#   deploy/container/smoke.sh
# Environment: BASE_IMAGE (default nscr-base:<suite>, built by build-base.sh when missing), NSCR_PUBLISH_DIR (both
# self-contained publishes, instead of publishing), DOCKER_HOST (else a private dockerd is started with its data root
# in NSCR_DOCKER_WORK, default /var/tmp/nscr-docker, kept so the base image is made once), KEEP_WORK=1,
# SKIP_BUILD=1 (use the image nscr:smoke as it is).
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=deploy/container/lib.sh disable=SC1091
. "$HERE/lib.sh"

SUITE=$(sed -n 's/^VERSION_CODENAME=//p' /etc/os-release)
BASE_IMAGE=${BASE_IMAGE:-nscr-base:$SUITE}
IMAGE=nscr:smoke
WORK=$(mktemp -d "${TMPDIR:-/var/tmp}/nscr-smoke.XXXXXX")
CONTAINER=nscr-smoke-$$
START=$SECONDS
step() { log "[$((SECONDS - START))s] $*"; }

cleanup() {
  local rc=$?
  trap - EXIT
  docker rm -f "$CONTAINER" >/dev/null 2>&1 || true
  docker_down
  if [[ ${KEEP_WORK:-0} == 1 ]]; then log "work dir kept: $WORK"; else rm -rf "$WORK"; fi
  exit "$rc"
}
trap cleanup EXIT

docker_up "${NSCR_DOCKER_WORK:-/var/tmp/nscr-docker}"

if [[ ${SKIP_BUILD:-0} != 1 ]] || ! docker image inspect "$IMAGE" >/dev/null 2>&1; then
  step "build.sh $IMAGE (base image, publishes, docker build)"
  BASE_IMAGE=$BASE_IMAGE BUILDER=docker "$HERE/build.sh" "$IMAGE" >/dev/null
fi

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
step "docker run on port $PORT"
docker run -d --name "$CONTAINER" --network host -e NSCR_PORT="$PORT" -e NSCR_LISTEN_ADDRESS=127.0.0.1 "$IMAGE" >/dev/null
URL=http://127.0.0.1:$PORT
for _ in $(seq 1 300); do
  curl -fs "$URL/healthz" >/dev/null 2>&1 && break
  [[ $(docker inspect -f '{{.State.Running}}' "$CONTAINER") == true ]] || { docker logs "$CONTAINER" >&2; exit 1; }
  sleep 0.2
done
curl -fs "$URL/readyz" >/dev/null || { curl -s "$URL/readyz" >&2; docker logs "$CONTAINER" >&2; exit 1; }
[[ $(docker exec "$CONTAINER" id -un) == nscr ]] || { echo "the server does not run as nscr" >&2; exit 1; }
docker exec -e NSCR_PORT="$PORT" "$CONTAINER" /usr/local/bin/nscr-healthcheck || { echo "the HEALTHCHECK command fails" >&2; exit 1; }

step "docker push and pull through the registry in the container"
REF=127.0.0.1:$PORT/smoke/base:1
push_pull_roundtrip "$BASE_IMAGE" "$REF" "$WORK"
# Read whole answers first: `curl | grep -q` fails under pipefail when grep stops reading early (SIGPIPE).
CATALOG=$(curl -fs "$URL/v2/_catalog")
grep -q '"smoke/base"' <<<"$CATALOG" || { echo "smoke/base not in the catalog: $CATALOG" >&2; exit 1; }
METRICS=$(curl -fs "$URL/metrics")
grep -q 'nscr_http_requests_total{.*method="PUT",route="manifest",status="201"}' <<<"$METRICS" \
  || { echo "/metrics did not count the push" >&2; exit 1; }

step "ok: image $(docker image inspect -f '{{.Size}}' "$IMAGE" | awk '{printf "%.0f MB", $1/1e6}'), pushed and pulled $(docker image inspect -f '{{.Size}}' "$BASE_IMAGE" | awk '{printf "%.0f MB", $1/1e6}')"
