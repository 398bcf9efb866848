"""The outbound leg against real FTP servers (vsftpd, proftpd, pure-ftpd, pyftpdlib): xfer
through the bridge's one-shot calls, and the FTP-to-FTP relay (an FTP client -> ftp-front ->
bridge -> ftp-front's client role -> the server), in plain FTP, explicit and implicit FTPS."""
import ftplib
import hashlib
import io
import os
import signal
import socket
import subprocess
import time
import urllib.request

import pytest

from conftest import BIN, ROOT as ROOT_DIR, Gateway, curl, free_port, wait_port
from test_big import RSS_LIMIT_MB, peak_rss_mb
from test_ftplib import FTP_TLS_Reuse, ctx as insecure_context
from peers import PASSWORD as FAR_PASSWORD, USER as FAR_USER, peers  # noqa: F401 (fixture)

# (server, scheme): every TLS mode each server offers. vsftpd has no MLSD (LIST is parsed).
MODES = [("vsftpd", "ftp"), ("vsftpd", "ftps"), ("vsftpd", "ftps-implicit"),
         ("proftpd", "ftp"), ("proftpd", "ftps"), ("proftpd", "ftps-implicit"),
         ("pure", "ftp"), ("pure", "ftps"),
         ("pyftpd", "ftp"), ("pyftpd", "ftps"), ("pyftpd", "ftps-implicit")]


@pytest.fixture(scope="module")
def rgw(tmp_path_factory, peers):  # noqa: F811
    g = Gateway(str(tmp_path_factory.mktemp("relay")), routes_extra=peers.routes_yaml())
    g.peers = peers
    yield g
    g.stop()
    assert all(p.returncode in (0, -15) for p in g.procs.values()), {n: p.returncode for n, p in g.procs.items()}
    for name in ("bridge", "ftp-front"):
        assert FAR_PASSWORD + "\n" not in g.log_text(name) and f"password={FAR_PASSWORD}" not in g.log_text(name)


def xfer(gw, *args, password=FAR_PASSWORD, timeout=120):
    env = dict(os.environ, XFER_PASSWORD=password, XFER_BRIDGE=f"127.0.0.1:{gw.bridge_port}")
    return subprocess.run([os.path.join(BIN, "bridge", "xfer"), *args], capture_output=True, env=env,
                          timeout=timeout)


def far_url(server, scheme, path):
    port = server.implicit_port if scheme == "ftps-implicit" else server.port
    return f"{scheme}://{FAR_USER}@{server.name}:{port}{path}"


def far_root(server):
    # vsftpd is not chrooted: its users see the real path of their directory.
    return server.data if server.name == "vsftpd" else ""


@pytest.mark.parametrize("name,scheme", MODES, ids=[f"{n}-{s}" for n, s in MODES])
def test_xfer_against_server(rgw, tmp_path, name, scheme):
    server = rgw.peers.servers[name]
    root = far_root(server)
    tag = f"{scheme.replace('-', '_')}"
    binary = os.urandom(1_500_000)
    text = b"".join(b"line %d of the text file\n" % i for i in range(2000))
    (tmp_path / "b.bin").write_bytes(binary)
    (tmp_path / "t.txt").write_bytes(text)

    # put binary and text; the far files hold exactly these bytes (text: LF on this Unix server)
    r = xfer(rgw, "put", str(tmp_path / "b.bin"), far_url(server, scheme, f"{root}/x_{tag}.bin"))
    assert r.returncode == 0, r.stderr
    assert open(server.path(f"x_{tag}.bin"), "rb").read() == binary
    r = xfer(rgw, "put", "--text", str(tmp_path / "t.txt"), far_url(server, scheme, f"{root}/x_{tag}.txt"))
    assert r.returncode == 0, r.stderr
    assert open(server.path(f"x_{tag}.txt"), "rb").read() == text

    # get both back byte-exact
    r = xfer(rgw, "get", far_url(server, scheme, f"{root}/x_{tag}.bin"), str(tmp_path / "back.bin"))
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "back.bin").read_bytes() == binary
    r = xfer(rgw, "get", "--text", far_url(server, scheme, f"{root}/x_{tag}.txt"), "-")
    assert r.returncode == 0, r.stderr
    assert r.stdout.replace(b"\r\n", b"\n") == text

    # resume: get from an offset, append
    r = xfer(rgw, "get", "--offset=1000000", far_url(server, scheme, f"{root}/x_{tag}.bin"), "-")
    assert r.returncode == 0 and r.stdout == binary[1_000_000:], r.stderr
    r = xfer(rgw, "put", "--append", str(tmp_path / "b.bin"), far_url(server, scheme, f"{root}/x_{tag}.bin"))
    assert r.returncode == 0, r.stderr
    assert open(server.path(f"x_{tag}.bin"), "rb").read() == binary + binary

    # list (MLSD, or LIST parsed for vsftpd) and stat see the names and sizes
    r = xfer(rgw, "ls", far_url(server, scheme, f"{root}/"))
    assert r.returncode == 0, r.stderr
    listed = {l.split()[-1]: l.split() for l in r.stdout.decode().splitlines() if l.strip()}
    assert f"x_{tag}.bin" in listed and str(2 * len(binary)) in listed[f"x_{tag}.bin"], r.stdout
    assert "hello.txt" in listed
    r = xfer(rgw, "stat", far_url(server, scheme, f"{root}/x_{tag}.txt"))
    assert r.returncode == 0 and f"size: {len(text)}".encode() in r.stdout, r.stdout + r.stderr

    # rename and delete
    r = xfer(rgw, "mv", far_url(server, scheme, f"{root}/x_{tag}.txt"), f"{root}/y_{tag}.txt")
    assert r.returncode == 0, r.stderr
    assert os.path.exists(server.path(f"y_{tag}.txt")) and not os.path.exists(server.path(f"x_{tag}.txt"))
    for f in (f"y_{tag}.txt", f"x_{tag}.bin"):
        r = xfer(rgw, "rm", far_url(server, scheme, f"{root}/{f}"))
        assert r.returncode == 0, r.stderr
        assert not os.path.exists(server.path(f))

    # a missing file: the error quotes the far server's own 550 reply
    r = xfer(rgw, "get", far_url(server, scheme, f"{root}/no-such-file"), str(tmp_path / "none"))
    assert r.returncode != 0 and b"550" in r.stderr, r.stderr
    assert not os.path.exists(tmp_path / "none")


@pytest.mark.parametrize("name", ["vsftpd", "proftpd", "pure", "pyftpd"])
def test_wrong_password_is_refused_with_the_servers_reply(rgw, name):
    server = rgw.peers.servers[name]
    r = xfer(rgw, "ls", far_url(server, "ftp", "/"), password="not-the-password")
    assert r.returncode != 0
    assert b"530" in r.stderr, r.stderr


def relay_login(gw, server, tls=False):
    ftp = FTP_TLS_Reuse(context=insecure_context()) if tls else ftplib.FTP()
    ftp.connect("127.0.0.1", gw.ftp_port, timeout=30)
    if tls:
        ftp.auth()
        ftp.prot_p()
    ftp.login(f"{FAR_USER}@{server.name}", FAR_PASSWORD)
    return ftp


@pytest.mark.parametrize("name", ["vsftpd", "proftpd", "pure", "pyftpd"])
@pytest.mark.parametrize("tls", [False, True], ids=["plain", "ftps"])
def test_ftplib_through_the_relay(rgw, name, tls):
    server = rgw.peers.servers[name]
    root = far_root(server)
    d = f"{root}/dir_{'tls' if tls else 'plain'}"
    ftp = relay_login(rgw, server, tls)
    try:
        ftp.mkd(d)
        assert os.path.isdir(server.path(os.path.basename(d)))
        ftp.cwd(d)
        assert ftp.pwd().rstrip("/").endswith(os.path.basename(d))
        data = os.urandom(700_000)
        ftp.storbinary("STOR f.bin", io.BytesIO(data))
        assert open(server.path(os.path.basename(d), "f.bin"), "rb").read() == data
        assert ftp.size("f.bin") == len(data)
        got = io.BytesIO()
        ftp.retrbinary("RETR f.bin", got.write)
        assert got.getvalue() == data
        ftp.rename("f.bin", "g.bin")
        assert "g.bin" in [os.path.basename(n) for n in ftp.nlst()]
        assert any(n == "g.bin" and facts.get("size") == str(len(data)) for n, facts in ftp.mlsd())
        with pytest.raises(ftplib.error_perm, match="^550"):
            ftp.retrbinary("RETR missing.bin", lambda b: None)
        ftp.delete("g.bin")
        ftp.cwd("..")
        ftp.rmd(d)
        assert not os.path.exists(server.path(os.path.basename(d)))
    finally:
        ftp.close()


@pytest.mark.parametrize("name", ["proftpd", "pure", "pyftpd"])
def test_stou_and_resumed_upload_through_the_relay(rgw, tmp_path, name):
    """STOU keeps the far server's chosen name; REST+STOR (xfer put --offset) resumes."""
    server = rgw.peers.servers[name]
    f = relay_login(rgw, server)
    try:
        data = os.urandom(200_000)
        resp = f.storbinary("STOU", io.BytesIO(data))
        assert resp.startswith("226"), resp
        stored = [n for n in os.listdir(server.data) if open(server.path(n), "rb").read() == data]
        assert len(stored) == 1, stored
        os.remove(server.path(stored[0]))
    finally:
        f.close()
    whole = os.urandom(900_000)
    with open(server.path("resume.bin"), "wb") as fh:
        fh.write(whole[:300_000])
    os.chmod(server.path("resume.bin"), 0o666)
    (tmp_path / "tail.bin").write_bytes(whole[300_000:])
    r = xfer(rgw, "put", "--offset=300000", str(tmp_path / "tail.bin"), far_url(server, "ftp", "/resume.bin"))
    assert r.returncode == 0, r.stderr
    assert open(server.path("resume.bin"), "rb").read() == whole
    os.remove(server.path("resume.bin"))


def test_relay_refuses_unlisted_destinations(rgw):
    for user in (f"{FAR_USER}@10.255.0.1", f"{FAR_USER}@vsftpd:1", f"{FAR_USER}@elsewhere.example"):
        ftp = ftplib.FTP()
        ftp.connect("127.0.0.1", rgw.ftp_port, timeout=30)
        with pytest.raises(ftplib.error_perm, match="^530"):
            ftp.login(user, FAR_PASSWORD)
        ftp.close()


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def test_256mib_both_ways_through_the_relay_with_curl_and_lftp(rgw, tmp_path):
    vs = rgw.peers.servers["vsftpd"]
    src = tmp_path / "big.bin"
    with open(src, "wb") as f:
        for _ in range(256):
            f.write(os.urandom(1 << 20))
    want = sha256_file(src)
    base = f"ftp://{FAR_USER}%40vsftpd:{FAR_PASSWORD}@127.0.0.1:{rgw.ftp_port}"  # vsftpd's home: vs.data
    curl("-T", str(src), f"{base}/relay-curl.bin", timeout=300)
    assert sha256_file(vs.path("relay-curl.bin")) == want
    out = tmp_path / "down-curl.bin"
    curl("-o", str(out), f"{base}/relay-curl.bin", timeout=300)
    assert sha256_file(out) == want
    out.unlink()

    script = "; ".join(["set net:max-retries 1", "set net:timeout 30", "set cmd:fail-exit yes",
                        "set ftp:ssl-allow no",
                        f"open -u {FAR_USER}@vsftpd,{FAR_PASSWORD} ftp://127.0.0.1:{rgw.ftp_port}",
                        f"cd {vs.data}", f"put {src} -o relay-lftp.bin",
                        f"get relay-lftp.bin -o {tmp_path}/down-lftp.bin"])
    r = subprocess.run(["lftp", "-c", script], capture_output=True, timeout=600)
    assert r.returncode == 0, r.stderr
    assert sha256_file(vs.path("relay-lftp.bin")) == want
    assert sha256_file(tmp_path / "down-lftp.bin") == want
    for f in ("relay-curl.bin", "relay-lftp.bin"):
        os.remove(vs.path(f))
    # Memory stays bounded: no process holds the file (ftp-front holds both legs).
    for proc in ("bridge", "ftp-front"):
        rss = peak_rss_mb(rgw.procs[proc].pid)
        print(f"{proc} peak RSS after relaying 256 MiB four times: {rss:.1f} MB")
        assert rss < RSS_LIMIT_MB, f"{proc} peak RSS {rss:.1f} MB"


def test_server_killed_mid_transfer_is_a_failure(tmp_path):
    """A far server that dies mid-RETR: xfer and an FTP client through the relay both see a
    failure, never a complete file."""
    srv_root = tmp_path / "srv"
    srv_root.mkdir()
    with open(srv_root / "big.bin", "wb") as f:
        f.truncate(8 << 30)  # sparse: no disk, and far longer than the second before the kill
    port = free_port()

    def start():
        return fragile_server(srv_root, port)
    routes = f"""  - name: fragile
    destination: ftp://127.0.0.1:{port}
"""
    g = Gateway(str(tmp_path / "gw"), routes_extra=routes)
    try:
        for client in ("xfer", "curl"):
            server = start()
            out = tmp_path / f"out-{client}.bin"
            env = dict(os.environ, XFER_PASSWORD="p", XFER_BRIDGE=f"127.0.0.1:{g.bridge_port}")
            if client == "xfer":
                cmd = [os.path.join(BIN, "bridge", "xfer"), "get", f"ftp://u@fragile/big.bin", str(out)]
            else:
                cmd = ["curl", "-sS", "--limit-rate", "20M", "-o", str(out),
                       f"ftp://u%40fragile:p@127.0.0.1:{g.ftp_port}/big.bin"]
            c = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            time.sleep(1.0)
            server.send_signal(signal.SIGKILL)
            server.wait()
            _, err = c.communicate(timeout=120)
            assert c.returncode != 0, (client, err)
            if client == "xfer":
                assert not out.exists()
            else:
                assert not out.exists() or out.stat().st_size < 8 << 30
        assert g.alive()
    finally:
        g.stop()


@pytest.mark.parametrize("name", ["vsftpd", "proftpd", "pure", "pyftpd"])
def test_abort_in_flight_through_the_relay(rgw, name):
    """ABOR of a running relayed RETR: 426 then 226, the far transfer is aborted too, and the
    session goes on (the far control connection was resynchronised)."""
    server = rgw.peers.servers[name]
    with open(server.path("abort.bin"), "wb") as fh:
        fh.truncate(2 << 30)  # sparse, far longer than the test
    os.chmod(server.path("abort.bin"), 0o644)
    f = relay_login(rgw, server)
    try:
        root = far_root(server)
        if root:
            f.cwd(root)
        conn = f.transfercmd("RETR abort.bin")
        got = 0
        while got < 5_000_000:
            got += len(conn.recv(1 << 20))
        resp = f.abort()
        conn.close()
        assert resp.startswith("426"), resp
        assert f.voidresp().startswith("226")
        # the far session is usable: a listing and a small retrieve work
        assert "hello.txt" in [os.path.basename(n) for n in f.nlst()]
        b = io.BytesIO()
        f.retrbinary("RETR hello.txt", b.write)
        assert b.getvalue() == open(server.path("hello.txt"), "rb").read()
    finally:
        f.close()
        os.remove(server.path("abort.bin"))


def test_site_url_names_scheme_and_port(rgw):
    """SITE with a URL before USER (RFC 1415 §4.1): implicit FTPS to proftpd's other port."""
    server = rgw.peers.servers["proftpd"]
    f = ftplib.FTP()
    f.connect("127.0.0.1", rgw.ftp_port, timeout=30)
    assert f.sendcmd(f"SITE ftps-implicit://{server.name}:{server.implicit_port}/").startswith("2")
    f.login(FAR_USER, FAR_PASSWORD)
    assert "hello.txt" in f.nlst()
    f.quit()
    # a port the route does not list is refused at login
    f = ftplib.FTP()
    f.connect("127.0.0.1", rgw.ftp_port, timeout=30)
    f.sendcmd(f"SITE ftp://{server.name}:{server.port + 1}")
    with pytest.raises(ftplib.error_perm, match="^530"):
        f.login(FAR_USER, FAR_PASSWORD)
    f.close()


def test_many_concurrent_relay_sessions(rgw):
    """40 FTP clients at once, each through its own leg to pyftpdlib."""
    import threading
    server = rgw.peers.servers["pyftpd"]
    want = open(server.path("hello.txt"), "rb").read()
    results = []

    def one():
        try:
            f = relay_login(rgw, server)
            b = io.BytesIO()
            f.retrbinary("RETR hello.txt", b.write)
            f.quit()
            results.append(b.getvalue() == want)
        except Exception as e:  # noqa: BLE001
            results.append(repr(e))
    threads = [threading.Thread(target=one) for _ in range(40)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert results.count(True) == 40, [r for r in results if r is not True][:3]


def fragile_server(root, port, perm="elr", no_passive=False, pasv_range=(24600, 24650), host="127.0.0.1"):
    """A pyftpdlib server of the test's own (user u / p), to kill or to cripple."""
    script = ("import sys, logging\n"
              "from pyftpdlib.authorizers import DummyAuthorizer\n"
              "from pyftpdlib.handlers import FTPHandler\n"
              "from pyftpdlib.servers import FTPServer\n"
              "logging.disable(logging.CRITICAL)\n"
              "a = DummyAuthorizer(); a.add_user('u', 'p', sys.argv[1], perm=sys.argv[3])\n"
              "class H(FTPHandler):\n"
              "    pass\n"
              "if sys.argv[4] == '1':\n"
              "    def refuse(self, line): self.respond('502 Passive mode is off here.')\n"
              "    H.ftp_PASV = refuse; H.ftp_EPSV = refuse\n"
              f"H.authorizer = a; H.passive_ports = range({pasv_range[0]}, {pasv_range[1]})\n"
              "H.permit_foreign_addresses = False\n"
              "FTPServer((sys.argv[5], int(sys.argv[2])), H).serve_forever()\n")
    p = subprocess.Popen(["/usr/bin/python3", "-c", script, str(root), str(port), perm,
                          "1" if no_passive else "0", host])
    if host == "127.0.0.1":
        wait_port(port)
    else:
        deadline = time.time() + 20
        while time.time() < deadline:
            try:
                socket.create_connection((host, port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.05)
    return p


def test_active_mode_when_the_server_refuses_passive(tmp_path):
    """EPSV and PASV refused: the leg falls back to EPRT/PORT and the bytes still arrive."""
    root = tmp_path / "srv"
    root.mkdir()
    data = os.urandom(3_000_000)
    (root / "f.bin").write_bytes(data)
    port = free_port()
    server = fragile_server(root, port, perm="elradfmw", no_passive=True)
    g = Gateway(str(tmp_path / "gw"), routes_extra=f"  - name: nopasv\n    destination: ftp://127.0.0.1:{port}\n")
    try:
        env = dict(os.environ, XFER_PASSWORD="p", XFER_BRIDGE=f"127.0.0.1:{g.bridge_port}")
        x = os.path.join(BIN, "bridge", "xfer")
        r = subprocess.run([x, "get", "ftp://u@nopasv/f.bin", "-"], env=env, capture_output=True, timeout=60)
        assert r.returncode == 0 and r.stdout == data, r.stderr
        (tmp_path / "up.bin").write_bytes(data[::-1])
        r = subprocess.run([x, "put", str(tmp_path / "up.bin"), "ftp://u@nopasv/up.bin"], env=env,
                           capture_output=True, timeout=60)
        assert r.returncode == 0, r.stderr
        assert (root / "up.bin").read_bytes() == data[::-1]
    finally:
        g.stop()
        server.kill()
        server.wait()


def test_server_killed_mid_upload_is_a_failure(tmp_path):
    root = tmp_path / "srv"
    root.mkdir()
    port = free_port()
    server = fragile_server(root, port, perm="elradfmw", pasv_range=(24650, 24700))
    g = Gateway(str(tmp_path / "gw"), routes_extra=f"  - name: fragile\n    destination: ftp://127.0.0.1:{port}\n")
    try:
        src = tmp_path / "src.bin"
        with open(src, "wb") as f:
            f.truncate(4 << 30)
        c = subprocess.Popen(["curl", "-sS", "--limit-rate", "20M", "-T", str(src),
                              f"ftp://u%40fragile:p@127.0.0.1:{g.ftp_port}/up.bin"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        time.sleep(1.5)
        server.send_signal(signal.SIGKILL)
        server.wait()
        _, err = c.communicate(timeout=120)
        assert c.returncode != 0, err
        assert g.alive()
        # the gateway keeps serving: a new leg to a restarted server works
        server = fragile_server(root, port, perm="elradfmw", pasv_range=(24650, 24700))
        env = dict(os.environ, XFER_PASSWORD="p", XFER_BRIDGE=f"127.0.0.1:{g.bridge_port}")
        r = subprocess.run([os.path.join(BIN, "bridge", "xfer"), "ls", "ftp://u@fragile/"], env=env,
                           capture_output=True, timeout=60)
        assert r.returncode == 0 and b"up.bin" in r.stdout, r.stderr
    finally:
        g.stop()
        server.kill()
        server.wait()


def test_outbound_leg_over_mutual_tls(tmp_path):
    """The bridge reaches ftp-front's outbound FileService over mutual TLS (as a Kubernetes
    deployment does); that port refuses a caller without a client certificate."""
    import grpc
    from test_mtls import make_pki, openssl
    pki = tmp_path / "pki"
    pki.mkdir()
    make_pki(pki)
    # ftp-front's own server certificate for its gRPC port
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=ftp-front-grpc", "-keyout",
            f"{pki}/ffs.key", "-out", f"{pki}/ffs.csr")
    (pki / "ffs.ext").write_text("subjectAltName=IP:127.0.0.1\n")
    openssl("x509", "-req", "-in", f"{pki}/ffs.csr", "-CA", f"{pki}/ca.crt", "-CAkey", f"{pki}/ca.key",
            "-CAcreateserial", "-days", "2", "-extfile", f"{pki}/ffs.ext", "-out", f"{pki}/ffs.crt")
    root = tmp_path / "srv"
    root.mkdir()
    (root / "f.txt").write_bytes(b"over mutual TLS\n")
    port = free_port()
    server = fragile_server(root, port, perm="elr", pasv_range=(24700, 24750))
    g = Gateway(str(tmp_path / "gw"), routes_extra=f"  - name: far\n    destination: ftp://127.0.0.1:{port}\n",
                extra_bridge_args=["--front_cert", f"{pki}/bridge.crt", "--front_key", f"{pki}/bridge.key",
                                   "--front_ca", f"{pki}/ca.crt"],
                extra_ftp_args=["--grpc_cert", f"{pki}/ffs.crt", "--grpc_key", f"{pki}/ffs.key",
                                "--grpc_ca", f"{pki}/ca.crt"])
    try:
        env = dict(os.environ, XFER_PASSWORD="p", XFER_BRIDGE=f"127.0.0.1:{g.bridge_port}")
        r = subprocess.run([os.path.join(BIN, "bridge", "xfer"), "get", "ftp://u@far/f.txt", "-"], env=env,
                           capture_output=True, timeout=60)
        assert r.returncode == 0 and r.stdout == b"over mutual TLS\n", r.stderr
        ident = lambda b: b  # noqa: E731
        for ch in (grpc.insecure_channel(f"127.0.0.1:{g.ftp_grpc_port}"),
                   grpc.secure_channel(f"127.0.0.1:{g.ftp_grpc_port}",
                                       grpc.ssl_channel_credentials(open(f"{pki}/ca.crt", "rb").read()))):
            with pytest.raises(grpc.RpcError) as e:
                ch.unary_unary("/gateway.v1.FileService/Stat", request_serializer=ident,
                               response_deserializer=ident)(b"", timeout=5)
            assert e.value.code() == grpc.StatusCode.UNAVAILABLE
    finally:
        g.stop()
        server.kill()
        server.wait()


def test_session_results_keep_the_far_replies(rgw, tmp_path_factory):
    """On the session stream, results carry what the far server said: its 530/550 for a
    failure, its 2xx for a success (RFC 1415 §9 maps these later)."""
    import grpc
    out = tmp_path_factory.mktemp("pb")
    subprocess.run(["protoc", f"--proto_path={ROOT_DIR}/proto", f"--python_out={out}",
                    f"{ROOT_DIR}/proto/gateway/v1/file_service.proto"], check=True)
    import sys
    sys.path.insert(0, str(out))
    from gateway.v1 import file_service_pb2 as pb
    ops = [pb.SessionRequest(open=pb.OpenSession(protocol=pb.PROTOCOL_SCRIPT, session_id="relaytest01")),
           pb.SessionRequest(op=pb.Operation(id=1, login=pb.Login(user=f"{FAR_USER}@pyftpd", password=FAR_PASSWORD))),
           pb.SessionRequest(op=pb.Operation(id=2, stat=pb.StatPath(path="/hello.txt"))),
           pb.SessionRequest(op=pb.Operation(id=3, read=pb.ReadFile(path="/hello.txt"))),
           pb.SessionRequest(op=pb.Operation(id=4, read=pb.ReadFile(path="/missing.txt"))),
           pb.SessionRequest(op=pb.Operation(id=5, close=pb.CloseSession()))]
    ch = grpc.insecure_channel(f"127.0.0.1:{rgw.bridge_port}")
    stream = ch.stream_stream("/gateway.v1.FileService/Session", request_serializer=lambda m: m.SerializeToString(),
                              response_deserializer=pb.SessionResponse.FromString)
    results, data = {}, b""
    for resp in stream(iter(ops), timeout=60):
        if resp.WhichOneof("kind") == "data":
            data += resp.data.data
        elif resp.WhichOneof("kind") == "result" and not resp.result.transfer_started:
            results[resp.result.id] = resp.result
    assert 1 in results and 2 in results, results
    assert results[1].result.code == pb.STATUS_OK and results[1].destination == "pyftpd"
    assert results[2].entries[0].size == len(data) and results[2].result.origin[0].ftp.code // 100 == 2
    assert data == open(rgw.peers.servers["pyftpd"].path("hello.txt"), "rb").read()
    assert results[3].result.origin[0].ftp.code == 226
    assert results[4].result.code == pb.STATUS_NOT_FOUND
    assert results[4].result.origin[0].ftp.code == 550


def test_ipv6_destination(tmp_path):
    """A destination on an IPv6 address: the leg connects to [::1] and uses EPSV."""
    try:
        socket.create_server(("::1", 0), family=socket.AF_INET6).close()
    except OSError:
        pytest.skip("no IPv6 loopback here")
    root = tmp_path / "srv"
    root.mkdir()
    data = os.urandom(2_000_000)
    (root / "v6.bin").write_bytes(data)
    port = free_port()
    server = fragile_server(root, port, perm="elradfmw", pasv_range=(24750, 24800), host="::1")
    g = Gateway(str(tmp_path / "gw"),
                routes_extra=f'  - name: six\n    hosts: ["::1"]\n    destination: ftp://[::1]:{port}\n')
    try:
        env = dict(os.environ, XFER_PASSWORD="p", XFER_BRIDGE=f"127.0.0.1:{g.bridge_port}")
        x = os.path.join(BIN, "bridge", "xfer")
        r = subprocess.run([x, "get", f"ftp://u@[::1]:{port}/v6.bin", "-"], env=env, capture_output=True, timeout=60)
        assert r.returncode == 0 and r.stdout == data, r.stderr
        (tmp_path / "up.bin").write_bytes(data[:1000])
        r = subprocess.run([x, "put", str(tmp_path / "up.bin"), "ftp://u@six/up.bin"], env=env,
                           capture_output=True, timeout=60)
        assert r.returncode == 0, r.stderr
        assert (root / "up.bin").read_bytes() == data[:1000]
        # and through the relay, naming the host the RFC 1415 way
        got = curl("-s", f"ftp://u%40%5B%3A%3A1%5D%3A{port}:p@127.0.0.1:{g.ftp_port}/v6.bin").stdout
        assert got == data
    finally:
        g.stop()
        server.kill()
        server.wait()


def test_far_control_connection_lost_ends_the_session(tmp_path):
    """RFC 1415 §5: when the far server drops the control connection, the client is told
    why, then its session ends with 421, rather than failing command after command."""
    root = tmp_path / "srv"
    root.mkdir()
    port = free_port()
    server = fragile_server(root, port, pasv_range=(24800, 24850))
    g = Gateway(str(tmp_path / "gw"), routes_extra=f"  - name: fragile\n    destination: ftp://127.0.0.1:{port}\n")
    try:
        f = ftplib.FTP()
        f.connect("127.0.0.1", g.ftp_port, timeout=30)
        f.login("u@fragile", "p")
        assert f.pwd() == "/"
        server.kill()
        server.wait()
        with pytest.raises(ftplib.error_temp, match="^4"):
            f.sendcmd("CWD /")  # the reason: the far connection failed
        with pytest.raises(ftplib.error_temp, match="^421"):
            f.sendcmd("PWD")
        with pytest.raises((EOFError, ConnectionError)):  # and the connection is closed
            f.sendcmd("NOOP")
        assert g.alive()
    finally:
        g.stop()
        if server.poll() is None:
            server.kill()


def metric(port, name):
    text = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5).read().decode()
    for line in text.splitlines():
        if line.startswith(name + " "):
            return float(line.split()[1])
    return 0.0


def ftp_front_metric(gw, name):
    return metric(gw.ftp_metrics_port, name)


def test_outbound_legs_are_counted_while_they_live(rgw):
    """ftp-front's own outbound sessions (the relay's far legs) show in its metrics: one more in
    the total per relayed session, the gauge up while it lives and down once it has ended."""
    server = rgw.peers.servers["vsftpd"]
    total0 = ftp_front_metric(rgw, "gw_ftp_outbound_sessions_total")
    active0 = ftp_front_metric(rgw, "gw_ftp_outbound_sessions_active")
    ftp = relay_login(rgw, server, False)
    try:
        ftp.pwd()
        assert ftp_front_metric(rgw, "gw_ftp_outbound_sessions_total") == total0 + 1
        assert ftp_front_metric(rgw, "gw_ftp_outbound_sessions_active") == active0 + 1
    finally:
        ftp.quit()
    deadline = time.monotonic() + 10
    while ftp_front_metric(rgw, "gw_ftp_outbound_sessions_active") != active0:
        assert time.monotonic() < deadline, "the ended leg is still counted as active"
        time.sleep(0.1)
    assert ftp_front_metric(rgw, "gw_ftp_outbound_sessions_total") == total0 + 1


def bridge_metric(gw, name):
    return metric(gw.bridge_metrics_port, name)


def test_a_relayed_session_ends_its_far_leg_with_it(tmp_path):
    """A relayed session's far leg ends with the session: a client's QUIT becomes QUIT to the
    far server, and so does a client that just goes away (the far connection is not left
    open). The bridge's session gauge counts each session while it lives."""
    from test_ftam_to_ftp_edges import ScriptedFtp
    server = ScriptedFtp()
    g = Gateway(str(tmp_path / "gw"), routes_extra=f"""  - name: old
    destination: ftp://127.0.0.1:{server.port}
""")

    def wait_for(what, cond):
        deadline = time.monotonic() + 10
        while not cond():
            assert time.monotonic() < deadline, what
            time.sleep(0.05)

    try:
        total0 = bridge_metric(g, "gw_bridge_sessions_total")
        active0 = bridge_metric(g, "gw_bridge_sessions_active")
        ftp = ftplib.FTP()
        ftp.connect("127.0.0.1", g.ftp_port, timeout=30)
        ftp.login("olduser@old", "secret")
        assert ftp.pwd() == "/"
        assert bridge_metric(g, "gw_bridge_sessions_total") == total0 + 1
        assert bridge_metric(g, "gw_bridge_sessions_active") == active0 + 1
        assert server.ends == []
        ftp.quit()
        wait_for("the far server got no QUIT", lambda: server.ends == ["QUIT"])
        wait_for("the ended session is still counted",
                 lambda: bridge_metric(g, "gw_bridge_sessions_active") == active0)

        ftp = ftplib.FTP()
        ftp.connect("127.0.0.1", g.ftp_port, timeout=30)
        ftp.login("olduser@old", "secret")
        assert ftp.pwd() == "/"
        ftp.close()  # no QUIT: the client is gone, and the gateway ends its session cleanly
        wait_for("the far connection outlived its session", lambda: len(server.ends) == 2)
        assert server.ends == ["QUIT", "QUIT"]
        wait_for("the ended session is still counted",
                 lambda: bridge_metric(g, "gw_bridge_sessions_active") == active0)
        assert bridge_metric(g, "gw_bridge_sessions_total") == total0 + 2
    finally:
        g.stop()
        server.close()
