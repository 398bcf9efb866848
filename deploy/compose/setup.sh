#!/bin/bash
# First start of the compose stack: a self-signed certificate and the demo filestore.
# `setup.sh ftam-demo` seeds the demo FTAM responder's filestore instead (run by its bridge).
set -euo pipefail
cd /var/lib/gateway
if [ "${1:-}" = ftam-demo ]; then
  if [ ! -e files/README.txt ]; then
    mkdir -p files/reports
    printf 'Welcome to the demo FTAM responder.\nFiles here are reached over FTAM (ISO 8571) through the gateway.\n' > files/README.txt
    printf 'quarter,amount\nQ1,100\nQ2,250\n' > files/reports/q2.csv
    head -c 100000 /dev/urandom > files/reports/data.bin
    echo "setup: seeded the demo FTAM responder's filestore"
  fi
  exit 0
fi
if [ ! -s certs/server.crt ]; then
  openssl req -x509 -newkey rsa:2048 -nodes -days 825 -subj "/CN=localhost" \
    -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
    -keyout certs/server.key.tmp -out certs/server.crt.tmp 2>/dev/null
  chmod 600 certs/server.key.tmp
  mv certs/server.key.tmp certs/server.key
  mv certs/server.crt.tmp certs/server.crt
  echo "setup: made a self-signed certificate"
fi
if [ ! -e files/README.txt ]; then
  mkdir -p files/pub
  printf 'Welcome to the FTP-FTAM gateway demo filestore.\nFiles here are served by the bridge (file:// destination).\n' > files/README.txt
  printf 'line one\nline two\nline three\n' > files/pub/lines.txt
  head -c 65536 /dev/urandom > files/pub/random.bin
  echo "setup: seeded the demo filestore"
fi
