#!/usr/bin/env bash
# Throughput of the gateway against vsftpd, in one run on this machine:
#   curl -> ftp-front -> bridge -> file://   versus   curl -> vsftpd, serving the same directory,
# RETR and STOR of a BENCH_MB file (default 1024), plain FTP and PROT P; then the FTP-to-FTP
# relay, curl -> ftp-front -> bridge -> ftp-front (client role) -> vsftpd, against curl ->
# vsftpd, plain and PROT P on both legs, with peak RSS per process during the relayed
# transfers; then an FTAM initiator -> ftam-front (responder) -> bridge -> file:// reading
# and writing the same file as FTAM-3, against curl -> vsftpd; then the FTP-initiated
# gateway, curl -> ftp-front -> bridge -> ftam-front (initiator) -> FTAM -> ftam-front
# (responder) -> bridge -> file://, against curl -> vsftpd; then CONCURRENT sessions
# (default 200) each listing and fetching a small file.
# Prints a table; nothing here passes or fails. Run as root (vsftpd needs a local user).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
mb=${BENCH_MB:-1024}
runs=${BENCH_RUNS:-3}
conc=${CONCURRENT:-200}
work=$(mktemp -d /tmp/gw-bench.XXXXXX)
chmod 755 "$work"
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$work"' EXIT
"$root/deploy/install-deps.sh" test >/dev/null
"$root/deploy/build.sh" bridge ftp-front ftam-front ftam_bench_client >/dev/null

id gwbench >/dev/null 2>&1 || useradd -M -d / -s /bin/bash gwbench
echo gwbench:gwbench | chpasswd
grep -qx /bin/bash /etc/shells || echo /bin/bash >> /etc/shells
mkdir -p "$work/data"
chown gwbench "$work/data"
head -c $((mb * 1024 * 1024)) /dev/urandom > "$work/src.bin"
cp "$work/src.bin" "$work/data/big.bin"
echo "small file" > "$work/data/small.txt"
chown -R gwbench "$work/data"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost \
  -addext subjectAltName=DNS:localhost,IP:127.0.0.1 \
  -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null
cat "$work/key.pem" "$work/cert.pem" > "$work/vsftpd.pem"

cat > "$work/vsftpd.conf" <<CONF
listen=YES
listen_address=127.0.0.1
listen_port=2321
anonymous_enable=NO
local_enable=YES
write_enable=YES
local_root=$work/data
pam_service_name=vsftpd
seccomp_sandbox=NO
pasv_enable=YES
pasv_min_port=31000
pasv_max_port=31099
pasv_address=127.0.0.1
ssl_enable=YES
ssl_tlsv1=YES
ssl_sslv2=NO
ssl_sslv3=NO
rsa_cert_file=$work/vsftpd.pem
require_ssl_reuse=YES
force_local_logins_ssl=NO
force_local_data_ssl=NO
max_clients=1000
max_per_ip=1000
CONF
vsftpd "$work/vsftpd.conf" &
vs_pid=$!

hash=$(printf 'gwbench\n' | "$root/build/release/bridge/bridge" hash-password)
cat > "$work/routes.yaml" <<YAML
routes:
  - name: bench
    users: [gwbench]
    destination: file://$work/data
    accounts:
      gwbench: "$hash"
  - name: vsftpd
    destination: ftp://127.0.0.1:2321
  - name: vsftpd-tls
    destination: ftps://127.0.0.1:2321
    tls: { ca: $work/cert.pem }
  - name: ftam-far
    destination: ftam://127.0.0.1:1202
YAML
"$root/build/release/bridge/bridge" --listen 127.0.0.1:50151 --routes "$work/routes.yaml" \
  --metrics_listen= --ftp_front 127.0.0.1:50152 --ftam_front 127.0.0.1:50153 --log_level=warn 2>"$work/bridge.log" &
br_pid=$!
"$root/build/release/ftp-front/ftp-front" --listen 127.0.0.1:2421 --implicit_listen= \
  --bridge 127.0.0.1:50151 --grpc_listen 127.0.0.1:50152 --metrics_listen= --pasv_ports 31100-31299 \
  --tls_cert "$work/cert.pem" --tls_key "$work/key.pem" --max_sessions_per_ip 1000 \
  --max_sessions 1000 --log_level=warn 2>"$work/ftp-front.log" &
ff_pid=$!
for p in 2321 2421; do
  for _ in $(seq 1 100); do (echo > /dev/tcp/127.0.0.1/$p) 2>/dev/null && break; sleep 0.1; done
done

# median of N curl runs of one transfer, in MB/s (10^6 B/s)
measure() {  # port direction tls [user] [upload name]
  local port=$1 dir=$2 tls=$3 user=${4:-gwbench} up=${5:-up-$1.bin} opts=() vals=()
  [ "$tls" = tls ] && opts=(--ssl-reqd -k)
  for _ in $(seq 1 "$runs"); do
    if [ "$dir" = RETR ]; then
      v=$(curl -sS "${opts[@]}" -o /dev/null -w '%{speed_download}' "ftp://$user:gwbench@127.0.0.1:$port/big.bin")
    else
      v=$(curl -sS "${opts[@]}" -T "$work/src.bin" -w '%{speed_upload}' "ftp://$user:gwbench@127.0.0.1:$port/$up")
    fi
    vals+=("$(awk -v v="$v" 'BEGIN{printf "%.1f", v/1e6}')")
  done
  printf '%s\n' "${vals[@]}" | sort -n | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}'
}

# One table: the gateway (as USER_PLAIN / USER_TLS, uploading to UPLOAD) against vsftpd
# directly, RETR and STOR, plain and PROT P, each median measured in the same run.
compare() {  # column-title user-plain user-tls upload
  printf '%-18s %10s %10s %7s\n' transfer "$1" vsftpd ratio
  for tls in plain tls; do
    for dir in RETR STOR; do
      local user=$2
      [ $tls = tls ] && user=$3
      g=$(measure 2421 $dir $tls "$user" "$4")
      v=$(measure 2321 $dir $tls)
      r=$(awk -v g="$g" -v v="$v" 'BEGIN{printf "%.2f", g/v}')
      printf '%-18s %10s %10s %7s\n' "$dir $( [ $tls = tls ] && echo 'PROT P' || echo plain)" "$g" "$v" "$r"
    done
  done
}

echo "File: ${mb} MiB, median of $runs runs, MB/s = 10^6 B/s (curl's speed_download/speed_upload)"
compare gateway gwbench gwbench up-2421.bin
cmp "$work/src.bin" "$work/data/up-2421.bin" && echo "gateway STOR result byte-exact"
rss() { awk '/VmHWM/{printf "%.1f MB", $2/1024}' "/proc/$1/status"; }
echo "peak RSS during transfers: ftp-front $(rss $ff_pid), bridge $(rss $br_pid)"

# The relay: vsftpd's numbers from the same run, measured again next to the relay's.
for p in $ff_pid $br_pid; do echo 5 > "/proc/$p/clear_refs"; done   # restart the peak RSS
echo "FTP-to-FTP relay (USER gwbench@vsftpd / gwbench@vsftpd-tls), both legs plain or both PROT P"
compare relay 'gwbench%40vsftpd' 'gwbench%40vsftpd-tls' up-relay.bin
cmp "$work/src.bin" "$work/data/up-relay.bin" && echo "relayed STOR result byte-exact"
echo "peak RSS during relayed transfers: ftp-front $(rss $ff_pid), bridge $(rss $br_pid), vsftpd (listener) $(rss $vs_pid)"

# FTAM: a minimal initiator (tests/ftam-front/ftam_bench_client.cpp, large TPDUs, 32 KiB
# FTAM-3 values) against ftam-front's responder on the same file:// directory.
"$root/build/release/ftam-front/ftam-front" --listen 127.0.0.1:1202 --bridge 127.0.0.1:50151 \
  --grpc_listen 127.0.0.1:50153 --metrics_listen= --log_level=warn 2>"$work/ftam-front.log" &
fm_pid=$!
for _ in $(seq 1 100); do (echo > /dev/tcp/127.0.0.1/1202) 2>/dev/null && break; sleep 0.1; done
for p in $br_pid; do echo 5 > "/proc/$p/clear_refs"; done
ftam() {  # get|put: median MB/s
  local vals=()
  for _ in $(seq 1 "$runs"); do
    if [ "$1" = get ]; then
      out=$("$root/build/release/tests/ftam-front/ftam_bench_client" 127.0.0.1:1202 gwbench gwbench get big.bin)
    else
      out=$("$root/build/release/tests/ftam-front/ftam_bench_client" 127.0.0.1:1202 gwbench gwbench put up-ftam.bin $((mb * 1024 * 1024)))
    fi
    vals+=("$(echo "$out" | sed -n 's/.*: \([0-9.]*\) MB\/s$/\1/p')")
  done
  printf '%s\n' "${vals[@]}" | sort -n | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}'
}
echo "FTAM-3 through the responder (F-READ / F-WRITE) against curl <-> vsftpd (RETR / STOR plain)"
printf '%-18s %10s %10s %7s\n' transfer ftam vsftpd ratio
for d in get put; do
  g=$(ftam $d)
  v=$(measure 2321 $([ $d = get ] && echo RETR || echo STOR) plain)
  printf '%-18s %10s %10s %7s\n' "FTAM-3 $d" "$g" "$v" "$(awk -v g="$g" -v v="$v" 'BEGIN{printf "%.2f", g/v}')"
done
echo "peak RSS during FTAM transfers: ftam-front $(rss $fm_pid), bridge $(rss $br_pid)"

# The FTP-initiated gateway (RFC 1415 §8.1): every byte crosses FTP, gRPC twice, FTAM over
# RFC 1006, and gRPC twice more; ftam-front plays both FTAM roles here (five processes'
# work on this machine's cores).
for p in $ff_pid $br_pid $fm_pid; do echo 5 > "/proc/$p/clear_refs"; done
echo "FTP -> gateway -> FTAM responder -> file:// (USER gwbench@ftam-far), against curl <-> vsftpd"
compare "ftp->ftam" 'gwbench%40ftam-far' 'gwbench%40ftam-far' up-ftam-far.bin
cmp "$work/src.bin" "$work/data/up-ftam-far.bin" && echo "STOR through FTAM byte-exact"
echo "peak RSS during FTP->FTAM transfers: ftp-front $(rss $ff_pid), bridge $(rss $br_pid), ftam-front $(rss $fm_pid)"
kill $fm_pid 2>/dev/null || true

echo "$conc concurrent sessions, each: login, LIST, RETR small.txt"
/usr/bin/python3 - "$conc" <<'PY'
import ftplib, io, sys, threading, time
n = int(sys.argv[1])
ok = []
err = []
def one(i):
    try:
        f = ftplib.FTP()
        f.connect("127.0.0.1", 2421, timeout=60)
        f.login("gwbench", "gwbench")
        f.retrlines("LIST", lambda l: None)
        b = io.BytesIO()
        f.retrbinary("RETR small.txt", b.write)
        f.quit()
        ok.append(b.getvalue() == b"small file\n")
    except Exception as e:
        err.append(repr(e))
t0 = time.time()
ts = [threading.Thread(target=one, args=(i,)) for i in range(n)]
for t in ts: t.start()
for t in ts: t.join()
print(f"  completed {sum(ok)}/{n} correctly in {time.time()-t0:.2f} s; errors: {len(err)} {err[:3]}")
PY
echo "peak RSS after the concurrent sessions: ftp-front $(rss $ff_pid), bridge $(rss $br_pid)"
kill $vs_pid $br_pid $ff_pid 2>/dev/null || true
