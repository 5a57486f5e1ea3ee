#!/usr/bin/env bash
# Builds the nscr container image: publishes the gateway and the silo (self-contained, linux-x64) into a build
# context and builds deploy/container/Containerfile with docker, podman or buildah, whichever is installed.
#   deploy/container/build.sh [IMAGE]            default IMAGE: localhost/nscr:latest
# Environment: BASE_IMAGE (a Debian bookworm image; default debian:bookworm-slim), BUILDER (docker|podman|buildah).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
image=${1:-localhost/nscr:latest}
base=${BASE_IMAGE:-debian:bookworm-slim}
context=$(mktemp -d)
trap 'rm -rf "$context"' EXIT

for project in Gateway Silo; do
  dotnet publish "$repo/src/$project/$project.csproj" -c Release -r linux-x64 --self-contained \
    -p:InvariantGlobalization=true -o "$context/publish" -v q -nologo
done
cp "$repo/deploy/container/Containerfile.cluster" "$repo/deploy/container/nscr-entrypoint" "$context/"

builder=${BUILDER:-}
if [[ -z "$builder" ]]; then
  for candidate in docker podman buildah; do
    if command -v "$candidate" >/dev/null 2>&1; then
      builder=$candidate
      break
    fi
  done
fi
case "$builder" in
  docker | podman) "$builder" build --build-arg "BASE_IMAGE=$base" -f "$context/Containerfile.cluster" -t "$image" "$context" ;;
  buildah) buildah bud --build-arg "BASE_IMAGE=$base" -f "$context/Containerfile.cluster" -t "$image" "$context" ;;
  *) echo "build.sh: no docker, podman or buildah found" >&2 && exit 1 ;;
esac
echo "$image"
