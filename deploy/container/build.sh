#!/usr/bin/env bash
# Builds the nscr image (deploy/container/Containerfile, every role): publishes the gateway (nscr-server) and the silo
# (Nscr.Silo) self-contained for linux-x64 into a build context, then builds with docker, podman or buildah.
#   deploy/container/build.sh [IMAGE]            default IMAGE: localhost/nscr:latest; prints IMAGE
# Environment:
#   BASE_IMAGE        a Debian bookworm image with libssl3, ca-certificates, zlib (default nscr-base:<suite>); with
#                     docker, build-base.sh makes it (debootstrap, needs root) when it is missing
#   BUILDER           docker | podman | buildah (default: the first one installed)
#   NSCR_PUBLISH_DIR  a directory already holding both publishes (nscr-server and Nscr.Silo): skip `dotnet publish`
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
# shellcheck source=deploy/container/lib.sh disable=SC1091
. "$HERE/lib.sh"

image=${1:-localhost/nscr:latest}
base=${BASE_IMAGE:-nscr-base:$(sed -n 's/^VERSION_CODENAME=//p' /etc/os-release)}
context=$(mktemp -d "${TMPDIR:-/var/tmp}/nscr-image.XXXXXX")
trap 'rm -rf "$context"' EXIT

builder=${BUILDER:-}
if [[ -z $builder ]]; then
  for candidate in docker podman buildah; do
    if command -v "$candidate" >/dev/null 2>&1; then
      builder=$candidate
      break
    fi
  done
fi
[[ -n $builder ]] || { echo "build.sh: no docker, podman or buildah found" >&2; exit 1; }

if [[ $builder == docker ]] && ! docker image inspect "$base" >/dev/null 2>&1; then
  log "base image $base is missing: build-base.sh"
  "$HERE/build-base.sh" "$base" >/dev/null
fi

if [[ -n ${NSCR_PUBLISH_DIR:-} ]]; then
  cp -a "$NSCR_PUBLISH_DIR/." "$context/publish/"
else
  for project in Gateway Silo; do
    log "dotnet publish src/$project (self-contained, linux-x64)"
    dotnet publish "$REPO/src/$project/$project.csproj" -c Release -r linux-x64 --self-contained \
      -o "$context/publish" -v q -nologo >"$context/publish-$project.log" 2>&1 \
      || { tail -n 30 "$context/publish-$project.log" >&2; exit 1; }
  done
fi
for binary in nscr-server Nscr.Silo; do
  [[ -x $context/publish/$binary ]] || { echo "build.sh: no $binary in the publish" >&2; exit 1; }
done
# Debug symbols are not needed at run time.
rm -f "$context"/publish/*.pdb
cp "$HERE/Containerfile" "$HERE/nscr-entrypoint" "$HERE/nscr-healthcheck" "$context/"
# The nscr user must read and run everything whatever the checkout's and the publish's modes were.
chmod -R a+rX "$context"
chmod 0755 "$context/nscr-entrypoint" "$context/nscr-healthcheck"

log "$builder build $image on $base"
case "$builder" in
  docker) docker build --network host -q --build-arg "BASE_IMAGE=$base" -f "$context/Containerfile" -t "$image" "$context" >/dev/null ;;
  podman) podman build --network host -q --build-arg "BASE_IMAGE=$base" -f "$context/Containerfile" -t "$image" "$context" >/dev/null ;;
  buildah) buildah bud --network host -q --build-arg "BASE_IMAGE=$base" -f "$context/Containerfile" -t "$image" "$context" >/dev/null ;;
  *) echo "build.sh: unknown BUILDER $builder" >&2 && exit 1 ;;
esac
echo "$image"
