# Settings of the local stack; every one can be overridden from the environment (GW_*) or
# by the flags of up/down (parsed by gw_parse_flags below).
gw_parse_flags() {  # sets GW_* from the flags; GW_REST gets what is left
  GW_REST=()
  while [ $# -gt 0 ]; do
    case "$1" in
      --host) GW_HOST=$2; shift ;;
      --ftp-port) GW_FTP_PORT=$2; shift ;;
      --ftps-port) GW_FTPS_PORT=$2; shift ;;
      --bridge-port) GW_BRIDGE_PORT=$2; shift ;;
      --ftp-grpc-port) GW_FTP_GRPC_PORT=$2; shift ;;
      --bridge-metrics-port) GW_BRIDGE_METRICS_PORT=$2; shift ;;
      --ftp-metrics-port) GW_FTP_METRICS_PORT=$2; shift ;;
      --ftam-port) GW_FTAM_PORT=$2; shift ;;
      --ftam-grpc-port) GW_FTAM_GRPC_PORT=$2; shift ;;
      --ftam-metrics-port) GW_FTAM_METRICS_PORT=$2; shift ;;
      --pasv-ports) GW_PASV_PORTS=$2; shift ;;
      --state-dir) GW_STATE_DIR=$2; shift ;;
      --filestore) GW_FILESTORE=$2; shift ;;
      *) GW_REST+=("$1") ;;
    esac
    shift
  done
}

gw_defaults() {
  : "${GW_HOST:=127.0.0.1}"
  : "${GW_FTP_PORT:=2121}"            # FTP and explicit FTPS
  : "${GW_FTPS_PORT:=2990}"           # implicit FTPS
  : "${GW_BRIDGE_PORT:=50051}"        # the bridge's gRPC
  : "${GW_FTP_GRPC_PORT:=50052}"      # ftp-front's gRPC (outbound legs, health)
  : "${GW_BRIDGE_METRICS_PORT:=9464}"
  : "${GW_FTP_METRICS_PORT:=9465}"
  : "${GW_FTAM_PORT:=1102}"           # RFC 1006: FTAM initiators (102 is the standard port)
  : "${GW_FTAM_GRPC_PORT:=50053}"     # ftam-front's gRPC (the bridge's ftam:// legs, health)
  : "${GW_FTAM_METRICS_PORT:=9466}"
  : "${GW_PASV_PORTS:=40000-40199}"
  : "${GW_STATE_DIR:=$GW_ROOT/build/local}"     # certificate, routes, demo filestore, logs, pids
  : "${GW_FILESTORE:=$GW_STATE_DIR/filestore}"
  : "${GW_BIN_DIR:=$GW_ROOT/build/release}"
  # One stack is one state directory: its pid files say which processes are its own.
  GW_STATE_DIR=$(mkdir -p "$GW_STATE_DIR" && cd "$GW_STATE_DIR" && pwd)
  export GW_HOST GW_FTP_PORT GW_FTPS_PORT GW_BRIDGE_PORT GW_FTP_GRPC_PORT GW_BRIDGE_METRICS_PORT \
    GW_FTP_METRICS_PORT GW_FTAM_PORT GW_FTAM_GRPC_PORT GW_FTAM_METRICS_PORT GW_PASV_PORTS GW_STATE_DIR \
    GW_FILESTORE GW_BIN_DIR
}

# The processes of the stack, started in this order and stopped in reverse. One entry each:
#   gw_process NAME BINARY(under GW_BIN_DIR) HEALTH-URL FLAGS...
gw_processes() {
  GW_PROC_NAMES=()
  declare -gA GW_PROC_BIN=() GW_PROC_HEALTH=() GW_PROC_ARGS=()
  gw_process bridge bridge/bridge "http://$GW_HOST:$GW_BRIDGE_METRICS_PORT/healthz" \
    --listen "$GW_HOST:$GW_BRIDGE_PORT" --routes "$GW_STATE_DIR/routes.yaml" \
    --metrics_listen "$GW_HOST:$GW_BRIDGE_METRICS_PORT" --ftp_front "$GW_HOST:$GW_FTP_GRPC_PORT" \
    --ftam_front "$GW_HOST:$GW_FTAM_GRPC_PORT"
  gw_process ftp-front ftp-front/ftp-front "http://$GW_HOST:$GW_FTP_METRICS_PORT/healthz" \
    --listen "$GW_HOST:$GW_FTP_PORT" --implicit_listen "$GW_HOST:$GW_FTPS_PORT" \
    --bridge "$GW_HOST:$GW_BRIDGE_PORT" --grpc_listen "$GW_HOST:$GW_FTP_GRPC_PORT" \
    --metrics_listen "$GW_HOST:$GW_FTP_METRICS_PORT" --pasv_ports "$GW_PASV_PORTS" \
    --tls_cert "$GW_STATE_DIR/server.crt" --tls_key "$GW_STATE_DIR/server.key"
  gw_process ftam-front ftam-front/ftam-front "http://$GW_HOST:$GW_FTAM_METRICS_PORT/healthz" \
    --listen "$GW_HOST:$GW_FTAM_PORT" --bridge "$GW_HOST:$GW_BRIDGE_PORT" \
    --grpc_listen "$GW_HOST:$GW_FTAM_GRPC_PORT" --metrics_listen "$GW_HOST:$GW_FTAM_METRICS_PORT"
}

gw_process() {
  local name=$1 bin=$2 health=$3
  shift 3
  GW_PROC_NAMES+=("$name")
  GW_PROC_BIN[$name]=$GW_BIN_DIR/$bin
  GW_PROC_HEALTH[$name]=$health
  GW_PROC_ARGS[$name]=$(printf '%q ' "$@")
}

# The pid of NAME in this state directory, if that process still runs this stack's binary.
gw_pid() {
  local f="$GW_STATE_DIR/run/$1.pid" pid exe
  [ -f "$f" ] || return 1
  pid=$(cat "$f")
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  exe=$(readlink "/proc/$pid/exe" 2>/dev/null) || return 1
  [ "${exe% (deleted)}" = "$(readlink -f "${GW_PROC_BIN[$1]}")" ] || return 1  # rebuilt since
  echo "$pid"
}
