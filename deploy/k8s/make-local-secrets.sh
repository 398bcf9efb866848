#!/usr/bin/env bash
# Makes the local overlay's certificates (never committed): a private CA, one certificate for
# FTPS and one for the mutual TLS between the processes, named for the Services.
# Usage: deploy/k8s/make-local-secrets.sh   (writes deploy/k8s/overlays/local/secrets/)
set -euo pipefail
out=$(cd "$(dirname "$0")" && pwd)/overlays/local/secrets
mkdir -p "$out"
cd "$out"
san="DNS:bridge,DNS:ftp-front,DNS:ftp-front-grpc,DNS:ftam-front,DNS:ftam-front-grpc,DNS:localhost,IP:127.0.0.1"
# Kept while they exist and name every Service (certificates made before ftam-front-grpc are remade).
[ -s ca.crt ] && [ -s tls.crt ] && [ -s ftps.crt ] \
  && openssl x509 -in tls.crt -noout -ext subjectAltName 2>/dev/null | grep -q "DNS:ftam-front-grpc" && exit 0
openssl req -x509 -newkey rsa:2048 -nodes -days 825 -subj "/CN=ftp-ftam-gateway local CA" \
  -keyout ca.key -out ca.crt 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj "/CN=ftp-ftam-gateway" -keyout tls.key -out tls.csr 2>/dev/null
openssl x509 -req -in tls.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 825 \
  -extfile <(printf 'subjectAltName=%s\nextendedKeyUsage=serverAuth,clientAuth\n' "$san") -out tls.crt 2>/dev/null
openssl req -x509 -newkey rsa:2048 -nodes -days 825 -subj "/CN=localhost" \
  -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" -keyout ftps.key -out ftps.crt 2>/dev/null
rm -f tls.csr ca.srl
chmod 600 ./*.key
echo "made the local overlay's certificates in $out"
