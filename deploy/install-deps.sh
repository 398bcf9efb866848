#!/usr/bin/env bash
# Installs the Debian 12 packages the gateway needs. Safe to run again: apt runs only when
# something is missing. Usage: deploy/install-deps.sh [build|test]
set -euo pipefail
what=${1:-build}
build_pkgs=(build-essential clang cmake ninja-build ccache pkg-config git openssl ca-certificates curl
  libboost1.81-dev libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  libssl-dev libabsl-dev libyaml-cpp-dev libgtest-dev libgmock-dev prometheus-cpp-dev libpcap-dev)
test_pkgs=(clang libclang-rt-14-dev lftp python3 python3-pytest python3-pyftpdlib python3-openssl
  python3-grpcio python3-protobuf vsftpd tshark procps iproute2
  tnftp ftp-ssl inetutils-ftp ncftp python3-aioftp
  podman runc netavark aardvark-dns iptables debootstrap podman-compose python3-yaml
  catatonit)  # the pause process of the pods `podman kube play` makes (only recommended by podman)
pkgs=("${build_pkgs[@]}")
[ "$what" = test ] && pkgs+=("${test_pkgs[@]}")
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "missing Debian packages: ${missing[*]} (run as root to install them)" >&2
  exit 1
fi
echo "installing: ${missing[*]}" >&2
# Keep apt from starting vsftpd on port 21 in the background.
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
fi
export DEBIAN_FRONTEND=noninteractive
echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
