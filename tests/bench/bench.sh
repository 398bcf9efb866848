#!/usr/bin/env bash
# Throughput and cost of the gateway against vsftpd, in one run on this machine (see
# tests/bench/README.md):
#   file:   curl -> ftp-front -> bridge -> file://   versus   curl -> vsftpd, serving the same
#           directory, RETR and STOR of a BENCH_MB file (default 1024), plain FTP and PROT P;
#   relay:  curl -> ftp-front -> bridge -> ftp-front (client role) -> vsftpd, against curl ->
#           vsftpd, plain and PROT P on both legs;
#   ftam:   an FTAM initiator -> ftam-front (responder) -> bridge -> file:// reading and
#           writing the same file as FTAM-3, against curl -> vsftpd; then the same initiator
#           through the gateway to vsftpd (ftam-front -> bridge -> ftp-front -> vsftpd);
#   ftpftam: the FTP-initiated gateway, curl -> ftp-front -> bridge -> ftam-front (initiator)
#           -> FTAM over RFC 1006 -> ftam-front (responder) -> bridge -> file://, against
#           curl -> vsftpd, plain and PROT P on the FTP side;
#   many:   MANY (default 100) concurrent MANY_MB (default 64) MiB RETR and STOR against one
#           transfer of the same file, through the gateway to file:// and, as the
#           reference, to vsftpd on the same directory;
#   conc:   CONCURRENT (default 200) sessions each listing and fetching a small file;
#   idle:   IDLE_SESSIONS (default 1000) logged-in idle sessions against one bridge, on a
#           fresh ftp-front and bridge whose session limits are raised for it by flags: RSS
#           per session summed over both processes.
# BENCH_SECTIONS picks sections (default "file relay ftam many conc idle"). For each
# transfer case: MB/s (median of BENCH_RUNS), the ratio to vsftpd measured next to it, CPU
# seconds per GiB moved for each process (summed over the runs; vsftpd's are its session
# processes', reaped by the listener) and each process's peak RSS during the case with its
# growth over the RSS before it. Neither side syncs: both write into the page cache of the
# same file system (BENCH_DIR, default a directory under /tmp). Every upload makes a new
# file: the one the last upload of that name made is removed before it, untimed, on both
# sides (STOR in the file, relay and ftpftam tables, FTAM puts, the `many` uploads);
# BENCH_STOR=over makes each replace the file the last one wrote instead.
# Prints tables; nothing here passes or fails. Run as root (vsftpd needs a local user).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
mb=${BENCH_MB:-1024}
runs=${BENCH_RUNS:-3}
conc=${CONCURRENT:-200}
many=${MANY:-100}
many_mb=${MANY_MB:-64}
idle_n=${IDLE_SESSIONS:-1000}
stor=${BENCH_STOR:-new}
sections=" ${BENCH_SECTIONS:-file relay ftam ftpftam many conc idle} "
has() { [[ "$sections" == *" $1 "* ]]; }
work=$(mktemp -d "${BENCH_DIR:-/tmp}/gw-bench.XXXXXX")
chmod 755 "$work"
trap 'kill $(jobs -p) 2>/dev/null || true; [ -n "${BENCH_KEEP:-}" ] || rm -rf "$work"' EXIT
[ -n "${BENCH_NO_BUILD:-}${BENCH_BIN:-}" ] || {
  "$root/deploy/install-deps.sh" test >/dev/null
  "$root/deploy/build.sh" bridge ftp-front ftam-front ftam_bench_client >/dev/null
}
bin=${BENCH_BIN:-$root/build/release}   # another build's binaries, to compare two versions
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"   # the idle sessions' sockets
tck=$(getconf CLK_TCK)

id gwbench >/dev/null 2>&1 || useradd -M -d / -s /bin/bash gwbench
echo gwbench:gwbench | chpasswd
grep -qx /bin/bash /etc/shells || echo /bin/bash >> /etc/shells
mkdir -p "$work/data"
head -c $((mb * 1024 * 1024)) /dev/urandom > "$work/src.bin"
cp "$work/src.bin" "$work/data/big.bin"
head -c $((many_mb * 1024 * 1024)) "$work/src.bin" > "$work/data/mid.bin"
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
pasv_min_port=30600
pasv_max_port=30999
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

hash=$(printf 'gwbench\n' | "$bin/bridge/bridge" hash-password)
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
# The processes' gRPC addresses: loopback TCP, or Unix sockets with BENCH_GRPC=unix.
if [ "${BENCH_GRPC:-tcp}" = unix ]; then
  g_bridge=unix:$work/bridge.sock g_ftp=unix:$work/ftp-front.sock g_ftam=unix:$work/ftam-front.sock
else
  g_bridge=127.0.0.1:20151 g_ftp=127.0.0.1:20152 g_ftam=127.0.0.1:20153
fi
"$bin/bridge/bridge" --listen $g_bridge --routes "$work/routes.yaml" \
  --metrics_listen= --ftp_front $g_ftp --ftam_front $g_ftam --log_level=warn 2>"$work/bridge.log" &
br_pid=$!
"$bin/ftp-front/ftp-front" --listen 127.0.0.1:2421 --implicit_listen= \
  --bridge $g_bridge --grpc_listen $g_ftp --metrics_listen= --pasv_ports 31100-31399 \
  --tls_cert "$work/cert.pem" --tls_key "$work/key.pem" --max_sessions_per_ip 1000 \
  --max_sessions 1000 --log_level=warn 2>"$work/ftp-front.log" &
ff_pid=$!
wait_port() { for _ in $(seq 1 100); do (echo > /dev/tcp/127.0.0.1/$1) 2>/dev/null && return; sleep 0.1; done; }
wait_port 2321
wait_port 2421
fm_pid=""
start_ftam() {  # ftam-front: the responder on 1202 and the initiator's FileService on 20153
  [ -n "$fm_pid" ] && return
  "$bin/ftam-front/ftam-front" --listen 127.0.0.1:1202 --bridge $g_bridge \
    --grpc_listen $g_ftam --metrics_listen= --log_level=warn 2>"$work/ftam-front.log" &
  fm_pid=$!
  wait_port 1202
  if [ "${BENCH_GRPC:-tcp}" = unix ]; then
    for _ in $(seq 1 100); do [ -S "$work/ftam-front.sock" ] && break; sleep 0.1; done
  else
    wait_port 20153
  fi
}

# Per-process accounting: CPU ticks (vsftpd: its own plus its reaped session processes'),
# RSS and peak RSS in KiB; clear_refs restarts the peak.
ticks() { awk -v c="$2" '{print $14 + $15 + (c ? $16 + $17 : 0)}' "/proc/$1/stat"; }
kib() { awk -v k="$2:" '$1 == k {print $2}' "/proc/$1/status"; }
procs=()      # "name pid children?" of the processes a case accounts for
declare -A t0 r0
case_start() {
  local p name pid c
  for p in "${procs[@]}"; do
    read -r name pid c <<<"$p"
    echo 5 > "/proc/$pid/clear_refs" 2>/dev/null || true
    t0[$name]=$(ticks "$pid" "$c"); r0[$name]=$(kib "$pid" VmRSS)
  done
}
# Prints "name cpu-s/GiB peak-MiB growth-MiB" per process for GIB gibibytes moved.
case_end() {
  local gib=$1 p name pid c
  sleep 0.5  # vsftpd's listener reaps its session processes (their CPU time) meanwhile
  for p in "${procs[@]}"; do
    read -r name pid c <<<"$p"
    awk -v n="$name" -v t="$(( $(ticks "$pid" "$c") - t0[$name] ))" -v tck="$tck" -v g="$gib" \
        -v hwm="$(kib "$pid" VmHWM)" -v r0="${r0[$name]}" \
        'BEGIN{printf "%s %.2f %.1f %.1f\n", n, t/tck/g, hwm/1024, (hwm-r0)/1024}'
  done
}

# One curl transfer; prints MB/s (10^6 B/s).
curl1() {  # port direction tls user upload-name [file]
  local opts=() v f=${6:-big.bin}
  [ "$3" = tls ] && opts=(--ssl-reqd -k)
  if [ "$2" = RETR ]; then
    v=$(curl -sS "${opts[@]}" -o /dev/null -w '%{speed_download}' "ftp://$4:gwbench@127.0.0.1:$1/$f")
  else
    v=$(curl -sS "${opts[@]}" -T "$work/src.bin" -w '%{speed_upload}' "ftp://$4:gwbench@127.0.0.1:$1/$5")
  fi
  awk -v v="$v" 'BEGIN{printf "%.1f", v/1e6}'
}
# Before an upload (untimed): removes the files of these names the last uploads made, so
# that every upload makes a new file (BENCH_STOR=new, the default; "over" leaves them).
fresh() { [ "$stor" = over ] || for f; do rm -f "$work/data/$f"; done; }
median() { sort -n | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.2f", a/b}'; }  # a over b, two decimals

# Measures one case: BENCH_RUNS transfers; writes the median MB/s to $work/mbs and the
# per-process figures (case_end) to $work/acct.
measure() {  # port direction tls [user] [upload name]
  local port=$1 dir=$2 tls=$3 user=${4:-gwbench} up=${5:-up-$1.bin}
  case_start
  for _ in $(seq 1 "$runs"); do
    [ "$dir" = RETR ] || fresh "$up"
    curl1 "$port" "$dir" "$tls" "$user" "$up"; echo
  done | median > "$work/mbs"
  case_end "$(awk -v m="$mb" -v r="$runs" 'BEGIN{print m*r/1024}')" > "$work/acct"
}
acct() { awk -v n="$1" -v f="$2" '$1 == n {print $f}' "$work/acct"; }

# The gateway's transfers and vsftpd's alternate (gateway, vsftpd, gateway, ...), so that a
# change of load on the machine during a case weighs on both sides alike. Writes the two
# medians to $work/mbs (gateway) and $work/mbs-direct, the gateway processes' figures
# (case_end's form) to $work/acct and vsftpd's for the direct runs to $work/acct-direct.
measure_pair() {  # direction tls gateway-user upload-name
  local dir=$1 tls=$2 user=$3 up=$4 i p name pid c a b
  local gw_procs=("ftp-front $ff_pid 0" "bridge $br_pid 0" "vsftpd $vs_pid 1")
  declare -A used=()
  local direct=0
  for p in "${gw_procs[@]}"; do
    read -r name pid c <<<"$p"
    echo 5 > "/proc/$pid/clear_refs" 2>/dev/null || true
    r0[$name]=$(kib "$pid" VmRSS); used[$name]=0
  done
  : > "$work/mbs-g"; : > "$work/mbs-v"
  for i in $(seq 1 "$runs"); do
    [ "$dir" = RETR ] || fresh "$up"
    for p in "${gw_procs[@]}"; do read -r name pid c <<<"$p"; t0[$name]=$(ticks "$pid" "$c"); done
    curl1 2421 "$dir" "$tls" "$user" "$up" >> "$work/mbs-g"; echo >> "$work/mbs-g"
    sleep 0.5  # vsftpd's listener reaps its session process (its CPU time) meanwhile
    for p in "${gw_procs[@]}"; do
      read -r name pid c <<<"$p"; used[$name]=$(( used[$name] + $(ticks "$pid" "$c") - t0[$name] ))
    done
    [ "$dir" = RETR ] || fresh up-2321.bin
    a=$(ticks "$vs_pid" 1)
    curl1 2321 "$dir" "$tls" gwbench "up-2321.bin" >> "$work/mbs-v"; echo >> "$work/mbs-v"
    sleep 0.5
    b=$(ticks "$vs_pid" 1); direct=$(( direct + b - a ))
  done
  median < "$work/mbs-g" > "$work/mbs"
  median < "$work/mbs-v" > "$work/mbs-direct"
  local gib; gib=$(awk -v m="$mb" -v r="$runs" 'BEGIN{print m*r/1024}')
  for p in "${gw_procs[@]}"; do
    read -r name pid c <<<"$p"
    awk -v n="$name" -v t="${used[$name]}" -v tck="$tck" -v g="$gib" -v hwm="$(kib "$pid" VmHWM)" -v r0="${r0[$name]}" \
        'BEGIN{printf "%s %.2f %.1f %.1f\n", n, t/tck/g, hwm/1024, (hwm-r0)/1024}'
  done > "$work/acct"
  awk -v t="$direct" -v tck="$tck" -v g="$gib" 'BEGIN{printf "vsftpd %.2f\n", t/tck/g}' > "$work/acct-direct"
}

# One table: the gateway (as USER_PLAIN / USER_TLS, uploading to UPLOAD) against vsftpd
# directly, RETR and STOR, plain and PROT P, each median measured in the same run, the
# two sides' transfers alternating. The gateway's columns: CPU s/GiB of ftp-front, bridge
# and the far vsftpd (relay only), peak RSS (growth) of ftp-front and bridge; vsftpd's:
# CPU s/GiB of its session processes.
compare() {  # column-title user-plain user-tls upload relay?
  printf '%-13s %8s %8s %6s | %-26s | %-27s | %s\n' transfer "$1" vsftpd ratio \
    "CPU s/GiB ftp-front bridge" "peak RSS MiB (growth)" "vsftpd CPU s/GiB direct${5:+ / far}"
  for tls in ${BENCH_MODES:-plain tls}; do
    for dir in RETR STOR; do
      local user=$2 g v ff br far=""
      [ $tls = tls ] && user=$3
      measure_pair $dir $tls "$user" "$4"
      g=$(cat "$work/mbs")
      v=$(cat "$work/mbs-direct")
      ff="$(acct ftp-front 2) $(acct bridge 2)"
      br="$(acct ftp-front 3) ($(acct ftp-front 4)) / $(acct bridge 3) ($(acct bridge 4))"
      [ -n "${5:-}" ] && far=" / $(acct vsftpd 2)"
      printf '%-13s %8s %8s %6s | %-26s | %-27s | %s\n' "$dir $( [ $tls = tls ] && echo 'PROT P' || echo plain)" \
        "$g" "$v" "$(ratio "$g" "$v")" "$ff" "$br" \
        "$(awk '{print $2}' "$work/acct-direct")$far"
    done
  done
}

echo "File: ${mb} MiB, median of $runs runs, MB/s = 10^6 B/s (curl's speed_download/speed_upload); $(nproc) cores"
if has file; then
  echo
  echo "FTP -> gateway -> file:// against curl <-> vsftpd on the same directory"
  compare gateway gwbench gwbench up-2421.bin
  cmp "$work/src.bin" "$work/data/up-2421.bin" && echo "gateway STOR result byte-exact"
fi

if has relay; then
  echo
  echo "FTP-to-FTP relay (USER gwbench@vsftpd / gwbench@vsftpd-tls), both legs plain or both PROT P"
  compare relay 'gwbench%40vsftpd' 'gwbench%40vsftpd-tls' up-relay.bin far
  cmp "$work/src.bin" "$work/data/up-relay.bin" && echo "relayed STOR result byte-exact"
fi

if has ftam; then
  # FTAM: a minimal initiator (tests/ftam-front/ftam_bench_client.cpp, large TPDUs, 32 KiB
  # FTAM-3 values) against ftam-front's responder on the same file:// directory.
  start_ftam
  wait_port 1202
  ftam() {  # get|put: median MB/s
    for _ in $(seq 1 "$runs"); do
      if [ "$1" = get ]; then
        out=$("$bin/tests/ftam-front/ftam_bench_client" 127.0.0.1:1202 gwbench gwbench get big.bin)
      else
        fresh up-ftam.bin
        out=$("$bin/tests/ftam-front/ftam_bench_client" 127.0.0.1:1202 gwbench gwbench put up-ftam.bin $((mb * 1024 * 1024)))
      fi
      echo "$out" | sed -n 's/.*: \([0-9.]*\) MB\/s$/\1/p'
    done | median
  }
  echo
  echo "FTAM-3 through the responder (F-READ / F-WRITE) against curl <-> vsftpd (RETR / STOR plain)"
  printf '%-13s %8s %8s %6s | %-26s | %s\n' transfer ftam vsftpd ratio "CPU s/GiB ftam-front bridge" "peak RSS MiB (growth)"
  for d in get put; do
    procs=("ftam-front $fm_pid 0" "bridge $br_pid 0")
    case_start
    g=$(ftam $d)
    case_end "$(awk -v m="$mb" -v r="$runs" 'BEGIN{print m*r/1024}')" > "$work/acct"
    ff="$(acct ftam-front 2) $(acct bridge 2)"
    br="$(acct ftam-front 3) ($(acct ftam-front 4)) / $(acct bridge 3) ($(acct bridge 4))"
    procs=("vsftpd $vs_pid 1")
    measure 2321 "$([ $d = get ] && echo RETR || echo STOR)" plain
    v=$(cat "$work/mbs")
    printf '%-13s %8s %8s %6s | %-26s | %s\n' "FTAM-3 $d" "$g" "$v" \
      "$(ratio "$g" "$v")" "$ff" "$br"
  done
  # The FTAM-initiated gateway to an FTP server (RFC 1415 §8.2): the initiator's identity
  # gwbench@vsftpd names the route; ftam-front -> bridge -> ftp-front -> vsftpd.
  echo
  echo "FTAM-3 through the gateway to vsftpd (identity gwbench@vsftpd) against curl <-> vsftpd"
  printf '%-13s %8s %8s %6s\n' transfer ftam vsftpd ratio
  for d in get put; do
    g=$(for _ in $(seq 1 "$runs"); do
          if [ $d = get ]; then
            "$bin/tests/ftam-front/ftam_bench_client" 127.0.0.1:1202 gwbench@vsftpd gwbench get big.bin
          else
            fresh up-ftam-ftp.bin
            "$bin/tests/ftam-front/ftam_bench_client" 127.0.0.1:1202 gwbench@vsftpd gwbench put up-ftam-ftp.bin $((mb * 1024 * 1024))
          fi | sed -n 's/.*: \([0-9.]*\) MB\/s$/\1/p'
        done | median)
    procs=("vsftpd $vs_pid 1")
    measure 2321 "$([ $d = get ] && echo RETR || echo STOR)" plain
    v=$(cat "$work/mbs")
    printf '%-13s %8s %8s %6s\n' "FTAM-3 $d" "$g" "$v" "$(ratio "$g" "$v")"
  done
  echo "peak RSS: ftam-front $(kib $fm_pid VmHWM) KiB, ftp-front $(kib $ff_pid VmHWM) KiB, bridge $(kib $br_pid VmHWM) KiB"
fi

if has ftpftam; then
  # The FTP-initiated gateway (RFC 1415 §8.1): every byte crosses FTP, gRPC twice, FTAM over
  # RFC 1006 and gRPC twice more; ftam-front plays both FTAM roles here, so five processes'
  # work shares this machine's cores. ftam-front's CPU is not in the table's columns; its
  # peak RSS is printed after it.
  start_ftam
  echo 5 > "/proc/$fm_pid/clear_refs"
  echo
  echo "FTP -> gateway -> FTAM responder -> file:// (USER gwbench@ftam-far) against curl <-> vsftpd"
  compare "ftp->ftam" 'gwbench%40ftam-far' 'gwbench%40ftam-far' up-ftam-far.bin
  cmp "$work/src.bin" "$work/data/up-ftam-far.bin" && echo "STOR through FTAM byte-exact"
  echo "peak RSS of ftam-front (both roles) during these transfers: $(( $(kib $fm_pid VmHWM) / 1024 )) MiB"
fi
[ -n "${fm_pid:-}" ] && kill $fm_pid 2>/dev/null || true

if has many; then
  # MANY transfers at once of a MANY_MB file: the aggregate (bytes / wall time of the whole
  # batch) against one transfer of the same file alone, median of BENCH_RUNS; the same for
  # vsftpd on the same directory, as the reference (the gateway's and vsftpd's runs alternate).
  # A batch of uploads needs MANY x MANY_MB of new page cache at once, where one upload alone
  # reuses the pages its predecessor freed: on a virtual machine that hands freed memory back
  # to its host, the batch's pages cost more to fill for both servers alike.
  echo
  echo "$many concurrent ${many_mb} MiB transfers (file://) against one alone, gateway and vsftpd"
  printf '%-13s %10s %10s %6s | %10s %10s %6s | %s\n' transfer "gw single" "gw batch" ratio \
    "vs single" "vs batch" ratio "peak RSS MiB (growth) ftp-front / bridge"
  head -c $((many_mb * 1024 * 1024)) "$work/src.bin" > "$work/mid.bin"
  one() {  # port direction prefix: one whole session (login to QUIT), MB/s
    if [ "$2" = RETR ]; then curl -sS -o /dev/null -w '%{time_total}\n' "ftp://gwbench:gwbench@127.0.0.1:$1/mid.bin"
    else fresh "$3-single.bin"; curl -sS -T "$work/mid.bin" -w '%{time_total}\n' "ftp://gwbench:gwbench@127.0.0.1:$1/$3-single.bin"; fi |
      awk -v m="$many_mb" '{printf "%.1f\n", m*1048576/$1/1e6}'
  }
  batch() {  # port direction prefix: MANY sessions at once, aggregate MB/s
    local s e i p fails=0 pids=()
    [ "$2" = RETR ] || fresh $(seq -f "$3-%g.bin" 1 "$many")
    s=$(date +%s.%N)
    for i in $(seq 1 "$many"); do
      if [ "$2" = RETR ]; then curl -sS -o /dev/null "ftp://gwbench:gwbench@127.0.0.1:$1/mid.bin" &
      else curl -sS -T "$work/mid.bin" "ftp://gwbench:gwbench@127.0.0.1:$1/$3-$i.bin" & fi
      pids+=($!)
    done
    for p in "${pids[@]}"; do wait "$p" || fails=$((fails + 1)); done
    e=$(date +%s.%N)
    [ $fails = 0 ] || echo "  $fails of $many transfers to port $1 failed" >&2
    awk -v s="$s" -v e="$e" -v n="$many" -v m="$many_mb" 'BEGIN{printf "%.1f\n", n*m*1048576/(e-s)/1e6}'
  }
  for dir in RETR STOR; do
    : > "$work/one-g"; : > "$work/one-v"; : > "$work/batch-g"; : > "$work/batch-v"
    procs=("ftp-front $ff_pid 0" "bridge $br_pid 0")
    case_start
    for _ in $(seq 1 "$runs"); do  # each run: three single sessions per side, then the batches
      for _ in 1 2 3; do one 2421 $dir m >> "$work/one-g"; one 2321 $dir v >> "$work/one-v"; done
      batch 2421 $dir m >> "$work/batch-g"
      batch 2321 $dir v >> "$work/batch-v"
    done
    case_end 1 > "$work/acct"
    gs=$(median < "$work/one-g") gb=$(median < "$work/batch-g")
    vs=$(median < "$work/one-v") vb=$(median < "$work/batch-v")
    printf '%-13s %10s %10s %6s | %10s %10s %6s | %s\n' "$dir x$many" "$gs" "$gb" \
      "$(ratio "$gb" "$gs")" "$vs" "$vb" \
      "$(ratio "$vb" "$vs")" \
      "$(acct ftp-front 3) ($(acct ftp-front 4)) / $(acct bridge 3) ($(acct bridge 4))"
  done
  rm -f "$work"/data/[mv]-*.bin
fi

if has conc; then
  echo
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
  echo "  peak RSS so far: ftp-front $(( $(kib $ff_pid VmHWM) / 1024 )) MiB, bridge $(( $(kib $br_pid VmHWM) / 1024 )) MiB"
fi
kill $br_pid $ff_pid 2>/dev/null || true
wait $br_pid $ff_pid 2>/dev/null || true

if has idle; then
  # A fresh ftp-front and bridge, the session limits raised by flags for this measurement
  # only; IDLE_SESSIONS clients log in (each session then has its bridge stream) and stay.
  "$bin/bridge/bridge" --listen 127.0.0.1:20161 --routes "$work/routes.yaml" --metrics_listen= \
    --ftp_front 127.0.0.1:20162 --max_sessions $((idle_n + 100)) --log_level=warn 2>"$work/bridge-idle.log" &
  bi_pid=$!
  "$bin/ftp-front/ftp-front" --listen 127.0.0.1:2521 --implicit_listen= --bridge 127.0.0.1:20161 \
    --grpc_listen 127.0.0.1:20162 --metrics_listen= --pasv_ports 31400-31499 \
    --max_sessions $((idle_n + 100)) --max_sessions_per_ip $((idle_n + 100)) --log_level=warn 2>"$work/ftp-front-idle.log" &
  fi_pid=$!
  wait_port 2521
  echo
  echo "$idle_n idle logged-in sessions against one bridge (fresh processes, limits raised by flags)"
  /usr/bin/python3 - "$idle_n" "$fi_pid" "$bi_pid" <<'PY'
import ftplib, sys, time
n, pids = int(sys.argv[1]), {"ftp-front": sys.argv[2], "bridge": sys.argv[3]}
def rss():
    out = {}
    for name, pid in pids.items():
        for line in open(f"/proc/{pid}/status"):
            if line.startswith("VmRSS:"): out[name] = int(line.split()[1])
    return out
# One session first, so that what every session shares (channels, pools) is in the base.
first = ftplib.FTP(); first.connect("127.0.0.1", 2521, timeout=60); first.login("gwbench", "gwbench")
first.voidcmd("NOOP")
time.sleep(1)
base = rss()
conns, t0 = [], time.time()
for i in range(n - 1):
    f = ftplib.FTP()
    f.connect("127.0.0.1", 2521, timeout=60)
    f.login("gwbench", "gwbench")
    conns.append(f)
for f in conns: f.voidcmd("NOOP")
time.sleep(2)
after = rss()
total = 0
for name in pids:
    per = (after[name] - base[name]) / (n - 1)
    total += per
    print(f"  {name:10s} RSS {base[name]/1024:7.1f} MiB with 1 session, {after[name]/1024:7.1f} MiB with {n}: {per:6.1f} KiB per session")
print(f"  sum: {total:.1f} KiB per idle session ({n} logged in in {time.time()-t0:.1f} s)")
for f in conns + [first]:
    try: f.quit()
    except Exception: pass
PY
  kill $bi_pid $fi_pid 2>/dev/null || true
fi
kill $vs_pid 2>/dev/null || true
