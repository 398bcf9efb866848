"""The test ports: a port that a closed connection holds in TIME_WAIT is handed out, and the
gateway's listeners (FTP, implicit FTPS, passive data, gRPC, metrics) bind it."""
import ftplib
import socket

import ports
from conftest import PASSWORD, Gateway, free_range


def time_wait(port):
    """Leave (127.0.0.1, port) in TIME_WAIT: a connection to it whose server side closes first."""
    lst = socket.socket()
    lst.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    lst.bind(("127.0.0.1", port))
    lst.listen()
    cli = socket.create_connection(("127.0.0.1", port))
    srv, _ = lst.accept()
    srv.close()
    lst.close()
    assert cli.recv(1) == b""
    cli.close()
    with socket.socket() as s:  # taken to a bind without SO_REUSEADDR
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return
    raise AssertionError(f"port {port} is not in TIME_WAIT")


def test_ports_in_time_wait_are_handed_out_and_bound(tmp_path):
    base = free_range(60)
    for p in range(base, base + 60):
        time_wait(p)
    ports._next = base + 50
    gw = Gateway(str(tmp_path), pasv_base=base)
    try:
        listeners = [gw.bridge_port, gw.bridge_metrics_port, gw.ftp_metrics_port, gw.ftp_grpc_port,
                     gw.ftp_port, gw.ftps_port]
        assert listeners == list(range(base + 50, base + 56))
        ftp = ftplib.FTP()
        ftp.connect("127.0.0.1", gw.ftp_port, timeout=20)
        ftp.login("demo@demo", PASSWORD)
        for _ in range(3):
            host, port = ftplib.parse227(ftp.sendcmd("PASV"))
            assert base <= port < base + 50
            ftp.sendcmd("NOOP")
        chunks = []
        ftp.retrbinary("RETR pub/random.bin", chunks.append)
        with open(gw.path("pub", "random.bin"), "rb") as f:
            assert b"".join(chunks) == f.read()
        ftp.quit()
    finally:
        gw.stop()


def test_a_wide_range_is_found_among_ports_in_time_wait():
    """An e2e run leaves closed connections' ports in TIME_WAIT all over the window; a range as
    wide as the soak test's passive range is still found."""
    held = []
    for p in range(ports.LOW + 137, ports.HIGH, 400):
        try:
            time_wait(p)
            held.append(p)
        except OSError:
            pass  # in use by something else: it cannot be put in TIME_WAIT, nor handed out
    assert len(held) > 20
    base = free_range(500)
    assert any(base <= p < base + 500 for p in held)
