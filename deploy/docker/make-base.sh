#!/usr/bin/env bash
# Makes the debian:bookworm base image from the Debian archive with debootstrap and imports
# it into podman's local store, for hosts that cannot pull from an image registry. The
# Dockerfile names `debian:bookworm` as usual, so it builds unchanged with Docker elsewhere.
# Usage: deploy/docker/make-base.sh [--force]   (root; MIRROR=... to choose the archive)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
export CONTAINERS_CONF=${CONTAINERS_CONF:-$here/containers.conf}
image=docker.io/library/debian:bookworm
mirror=${MIRROR:-http://deb.debian.org/debian}
if [ "${1:-}" != --force ] && podman image exists "$image"; then
  echo "$image is already in the local store"
  exit 0
fi
work=$(mktemp -d /var/tmp/gw-base.XXXXXX)
trap 'rm -rf "$work"' EXIT
t0=$SECONDS
debootstrap --variant=minbase bookworm "$work/rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 || {
  tail -20 "$work/debootstrap.log" >&2
  exit 1
}
# As Debian's own images: no downloaded packages or package lists inside.
rm -rf "$work/rootfs"/var/cache/apt/archives/*.deb "$work/rootfs"/var/lib/apt/lists/*
tar -C "$work/rootfs" -c . | podman import -q --change 'CMD ["bash"]' - "$image" >/dev/null
echo "made $image with debootstrap in $((SECONDS - t0)) s"
