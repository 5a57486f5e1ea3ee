# shellcheck shell=bash
# Helpers shared by build-base.sh, build.sh and the smoke scripts (sourced).

log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# docker_up WORKDIR: uses $DOCKER_HOST (or the default socket) when a daemon answers; otherwise starts a private
# dockerd (vfs, no iptables, no bridge: the settings that work here) under WORKDIR and exports DOCKER_HOST.
# Sets PRIVATE_DOCKERD_PID when it started one; docker_down stops it.
PRIVATE_DOCKERD_PID=
PRIVATE_DOCKER_WORK=
docker_up() {
  local work=$1
  PRIVATE_DOCKER_WORK=$work
  if docker info >/dev/null 2>&1; then return 0; fi
  mkdir -p "$work"
  export DOCKER_HOST="unix://$work/docker.sock" DOCKER_CONFIG="$work/cli"
  dockerd --storage-driver=vfs --iptables=false --ip6tables=false --bridge=none \
    --data-root "$work/root" --exec-root "$work/exec" --pidfile "$work/docker.pid" -H "$DOCKER_HOST" \
    >"$work/dockerd.log" 2>&1 &
  PRIVATE_DOCKERD_PID=$!
  for _ in $(seq 1 150); do
    docker info >/dev/null 2>&1 && { log "private dockerd $PRIVATE_DOCKERD_PID on $DOCKER_HOST"; return 0; }
    kill -0 "$PRIVATE_DOCKERD_PID" 2>/dev/null || break
    sleep 0.2
  done
  tail -n 20 "$work/dockerd.log" >&2
  echo "dockerd did not start" >&2
  return 1
}

docker_down() {
  [[ -n $PRIVATE_DOCKERD_PID ]] || return 0
  kill -TERM "$PRIVATE_DOCKERD_PID" 2>/dev/null || true
  for _ in $(seq 1 150); do kill -0 "$PRIVATE_DOCKERD_PID" 2>/dev/null || break; sleep 0.2; done
  kill -KILL "$PRIVATE_DOCKERD_PID" 2>/dev/null || true
  # dockerd can leave its network namespace mounted, which would keep the work dir from being removed.
  local mountpoint
  for mountpoint in "$PRIVATE_DOCKER_WORK"/exec/netns/*; do
    if [[ -e $mountpoint ]]; then umount "$mountpoint" 2>/dev/null || true; fi
  done
}

# The first Debian mirror apt uses on this machine (deb822 sources or sources.list).
debian_mirror() {
  local uri
  uri=$(grep -hE '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}' | grep -v security | head -n1)
  [[ -n $uri ]] || uri=$(grep -hE '^deb ' /etc/apt/sources.list 2>/dev/null | awk '{print $2}' | grep -v security | head -n1)
  echo "${uri:-http://deb.debian.org/debian}"
}

# push_pull_roundtrip SOURCE_IMAGE REF LOGDIR: tags SOURCE_IMAGE as REF, pushes it, removes it locally, pulls it back
# and fails unless the pulled image has the pushed image's id.
push_pull_roundtrip() {
  local source=$1 ref=$2 logs=$3 expected
  docker tag "$source" "$ref"
  docker push "$ref" >"$logs/push.log"
  expected=$(docker image inspect -f '{{.Id}}' "$ref")
  docker rmi "$ref" >/dev/null
  docker pull "$ref" >"$logs/pull.log"
  [[ $(docker image inspect -f '{{.Id}}' "$ref") == "$expected" ]] || { echo "pulled image $ref differs" >&2; return 1; }
  docker rmi "$ref" >/dev/null
}
