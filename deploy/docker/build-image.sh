#!/usr/bin/env bash
# Builds the gateway image with podman on the local debootstrap base (made on first use),
# sharing the host's compiler cache with the build stage, then prints the image's size,
# its user and its packages.
# Usage: deploy/docker/build-image.sh [TAG]   (default $GW_IMAGE or localhost/ftp-ftam-gateway:latest)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
export CONTAINERS_CONF=${CONTAINERS_CONF:-$root/deploy/docker/containers.conf}
image=${1:-${GW_IMAGE:-localhost/ftp-ftam-gateway:latest}}
"$root/deploy/docker/make-base.sh"

# The build stage fetches Debian packages as the host does: the host's network and resolver.
args=(--pull=never --network=host -f "$root/deploy/docker/Dockerfile" --build-arg "SRC_DIR=$root" -t "$image")
if command -v ccache >/dev/null; then
  cache=$(ccache -k cache_dir)
  mkdir -p "$cache"
  # The settings that shape ccache's keys, as the host has them.
  args+=(-v "$cache:/ccache" --build-arg "CCACHE_BASEDIR=$(ccache -k base_dir)"
    --build-arg "CCACHE_HASH_DIR=$(ccache -k hash_dir)" --build-arg "CCACHE_MAX_SIZE=$(ccache -k max_size)")
  for v in LANG LC_ALL LC_CTYPE LC_MESSAGES; do args+=(--build-arg "$v=${!v:-}"); done
fi
t0=$SECONDS
podman build "${args[@]}" "$root"
echo "built $image in $((SECONDS - t0)) s"
size=$(podman image inspect --format '{{.Size}}' "$image")
echo "image size: $((size / 1024 / 1024)) MiB"
podman run --rm "$image" sh -c 'echo "runs as: $(id -un) (uid $(id -u))"; echo "packages ($(dpkg-query -W | wc -l)):"; dpkg-query -W -f "  \${Package} \${Version}\n"'
