# Settings of the local stack; every one can be overridden from the environment.
: "${GW_HOST:=127.0.0.1}"
: "${GW_FTP_PORT:=2121}"            # FTP and explicit FTPS
: "${GW_FTPS_PORT:=2990}"           # implicit FTPS
: "${GW_BRIDGE_PORT:=50051}"        # the bridge's gRPC
: "${GW_FTP_GRPC_PORT:=50052}"      # ftp-front's gRPC (health)
: "${GW_BRIDGE_METRICS_PORT:=9464}"
: "${GW_FTP_METRICS_PORT:=9465}"
: "${GW_PASV_PORTS:=40000-40199}"
: "${GW_STATE_DIR:=$GW_ROOT/build/local}"     # certificate, routes, demo filestore, logs, pids
: "${GW_FILESTORE:=$GW_STATE_DIR/filestore}"
: "${GW_BIN_DIR:=$GW_ROOT/build/release}"
