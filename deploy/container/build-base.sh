#!/usr/bin/env bash
# Makes a minimal Debian base image locally (no registry to pull from): debootstrap --variant=minbase of this machine's
# suite from the mirror apt already uses, imported with `docker import`.
#   deploy/container/build-base.sh [IMAGE]        (default nscr-base:<suite>; needs root, debootstrap, docker)
# With no running Docker daemon, set DOCKER_HOST to one, or run smoke.sh, which starts a private one.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=deploy/container/lib.sh disable=SC1091
. "$HERE/lib.sh"

SUITE=${SUITE:-$(sed -n 's/^VERSION_CODENAME=//p' /etc/os-release)}
IMAGE=${1:-nscr-base:$SUITE}
MIRROR=${MIRROR:-$(debian_mirror)}
# What a self-contained .NET server needs beyond minbase (libc, libstdc++, bash): TLS, CA roots, zlib.
INCLUDE=${INCLUDE:-libssl3,ca-certificates,zlib1g}

command -v debootstrap >/dev/null || { echo "missing debootstrap (apt-get install -y debootstrap)" >&2; exit 2; }
[[ $(id -u) -eq 0 ]] || { echo "debootstrap needs root" >&2; exit 2; }

ROOTFS=$(mktemp -d "${TMPDIR:-/var/tmp}/nscr-rootfs.XXXXXX")
# mktemp makes it 0700, and the tar of "." carries that mode to the image's /: nobody but root could run anything.
chmod 0755 "$ROOTFS"
trap 'rm -rf "$ROOTFS"' EXIT
log "debootstrap --variant=minbase $SUITE from $MIRROR"
debootstrap --variant=minbase --include="$INCLUDE" "$SUITE" "$ROOTFS" "$MIRROR" >"$ROOTFS.log" 2>&1 \
  || { tail -n 30 "$ROOTFS.log" >&2; rm -f "$ROOTFS.log"; exit 1; }
rm -f "$ROOTFS.log"
# Smaller image: package lists and caches are not needed at run time.
rm -rf "$ROOTFS"/var/cache/apt/archives/*.deb "$ROOTFS"/var/lib/apt/lists/* "$ROOTFS"/usr/share/doc/* "$ROOTFS"/usr/share/man/*
log "docker import -> $IMAGE ($(du -sh "$ROOTFS" | cut -f1))"
tar -C "$ROOTFS" --numeric-owner -c . | docker import --change 'CMD ["bash"]' - "$IMAGE" >/dev/null
echo "$IMAGE"
