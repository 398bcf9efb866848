#!/usr/bin/env bash
# run_peers_test.sh BINARY [PEERS_DIR] [gtest args...]
# Installs (once) and starts vsftpd, proftpd, pure-ftpd and pyftpdlib from the peers kit in
# a base directory of their own, on ports shifted away from the kit's defaults (a developer's
# servers and the gateway's 2121 stay free), runs the FtpClient integration binary against
# them and stops them again. Exit 77 (skipped) without the kit or without root.
# Environment: GW_PEERS_BASE (default /tmp/gw-ftp-client-peers), PORT_OFFSET (default 4000),
# PASV_OFFSET (default -8000: passive ports 22000-22499, below the ephemeral range).
set -uo pipefail
bin=${1:?usage: run_peers_test.sh BINARY [PEERS_DIR] [gtest args...]}
peers=${2:-$(cd "$(dirname "$0")/../../../.." && pwd)/shared/peers}
shift $(( $# >= 2 ? 2 : 1 ))
if [ ! -x "$peers/start-servers.sh" ]; then echo "peers kit not found at $peers: skipped"; exit 77; fi
if [ "$(id -u)" != 0 ]; then echo "the peers kit needs root: skipped"; exit 77; fi
base=${GW_PEERS_BASE:-/tmp/gw-ftp-client-peers}
export PORT_OFFSET=${PORT_OFFSET:-4000} PASV_OFFSET=${PASV_OFFSET:--8000}
export SERVERS="vsftpd proftpd pure pyftpd"
mkdir -p "$base"

if ! command -v vsftpd >/dev/null || [ ! -x "$base/root/usr/sbin/proftpd" ] || [ ! -x "$base/root/usr/sbin/pure-ftpd" ] ||
   ! /usr/bin/python3 -c 'import pyftpdlib, OpenSSL' 2>/dev/null; then
  echo "installing the peer servers (log: $base/install.log)"
  if ! "$peers/install.sh" --base "$base" --no-npm >"$base/install.log" 2>&1; then
    tail -20 "$base/install.log"; echo "install.sh failed"; exit 1
  fi
fi

"$peers/stop-servers.sh" --base "$base" >/dev/null 2>&1 || true
rm -f "$base/run/ports.env"   # stale ports from another offset would win over PORT_OFFSET
stop() { "$peers/stop-servers.sh" --base "$base" >/dev/null 2>&1 || true; }
trap stop EXIT
if ! "$peers/start-servers.sh" --base "$base" >"$base/start.log" 2>&1; then
  cat "$base/start.log"; echo "start-servers.sh failed"; exit 1
fi
set -a
# shellcheck disable=SC1091
. "$base/run/ports.env"
set +a
GW_PEERS_BASE=$base "$bin" "$@"
