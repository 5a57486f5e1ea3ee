#!/usr/bin/env bash
# Builds the nscr container image on a locally made Debian base, runs it, and pushes and pulls an image through it
# with the Docker client. Prints the time of each step. Needs root, debootstrap (first run), dockerd, curl.
#   deploy/container/smoke.sh
# Environment: BASE_IMAGE (default nscr-base:<suite>, built by build-base.sh when missing), NSCR_PUBLISH_DIR (a
# self-contained publish to use instead of publishing), DOCKER_HOST (else a private dockerd is started), KEEP_WORK=1.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
. "$HERE/lib.sh"

SUITE=$(. /etc/os-release && echo "$VERSION_CODENAME")
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

docker_up "$WORK/docker"

if ! docker image inspect "$BASE_IMAGE" >/dev/null 2>&1; then
  step "base image $BASE_IMAGE"
  "$HERE/build-base.sh" "$BASE_IMAGE" >/dev/null
fi

mkdir -p "$WORK/context"
if [[ -n ${NSCR_PUBLISH_DIR:-} ]]; then
  cp -a "$NSCR_PUBLISH_DIR/." "$WORK/context/server/"
else
  step "dotnet publish (self-contained, linux-x64)"
  dotnet publish "$REPO/src/Gateway" -c Release -r linux-x64 --self-contained -o "$WORK/context/server" >"$WORK/publish.log" 2>&1 \
    || { tail -n 30 "$WORK/publish.log" >&2; exit 1; }
fi
[[ -x $WORK/context/server/nscr-server ]] || { echo "no nscr-server in the publish" >&2; exit 1; }

step "docker build"
docker build --network host -q -f "$HERE/Containerfile" --build-arg BASE_IMAGE="$BASE_IMAGE" -t "$IMAGE" "$WORK/context" >/dev/null

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

step "docker push through the registry in the container"
REF=127.0.0.1:$PORT/smoke/base:1
docker tag "$BASE_IMAGE" "$REF"
docker push "$REF" >"$WORK/push.log"
EXPECTED=$(docker image inspect -f '{{.Id}}' "$REF")
docker rmi "$REF" >/dev/null

step "docker pull"
docker pull "$REF" >"$WORK/pull.log"
[[ $(docker image inspect -f '{{.Id}}' "$REF") == "$EXPECTED" ]] || { echo "pulled image differs" >&2; exit 1; }
# Read whole answers first: `curl | grep -q` fails under pipefail when grep stops reading early (SIGPIPE).
CATALOG=$(curl -fs "$URL/v2/_catalog")
grep -q '"smoke/base"' <<<"$CATALOG" || { echo "smoke/base not in the catalog: $CATALOG" >&2; exit 1; }
METRICS=$(curl -fs "$URL/metrics")
grep -q 'nscr_http_requests_total{.*method="PUT",route="manifest",status="201"}' <<<"$METRICS" \
  || { echo "/metrics did not count the push" >&2; exit 1; }
docker rmi "$REF" >/dev/null

step "ok: image $(docker image inspect -f '{{.Size}}' "$IMAGE" | awk '{printf "%.0f MB", $1/1e6}'), pushed and pulled $(docker image inspect -f '{{.Size}}' "$BASE_IMAGE" | awk '{printf "%.0f MB", $1/1e6}')"
