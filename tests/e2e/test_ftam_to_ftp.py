"""The FTAM-initiated gateway (RFC 1415 §4.2, §8.2): ISODE's FTAM initiator, replayed from
the captures, associates with ftam-front and works on an FTP server (pyftpdlib) through
the bridge and ftp-front's client role, as if the FTP server were an FTAM filestore. The
FTP server holds the files the captures read; each exchange must complete as it did
against ISODE's own responder, bytes exact."""
import os
import subprocess
import time

import pytest

from conftest import BIN, free_port, wait_port
from test_ftam_responder import CAPTURE_NAMES, PASSWORD, REPLAY, USER, FtamGateway, capture_path


class FtpBehindFtam(FtamGateway):
    """pyftpdlib with the captures' login; ftam-front -> bridge -> ftp-front -> pyftpdlib."""

    def __init__(self, tmp):
        self.ftp_root = os.path.join(tmp, "ftp-root")
        os.makedirs(self.ftp_root)
        self.ftp_port, self.ftp_grpc = free_port(), free_port()
        pasv = free_port()
        self.pyftpd = subprocess.Popen(
            ["/usr/bin/python3", "-m", "pyftpdlib", "-i", "127.0.0.1", "-p", str(self.ftp_port), "-w",
             "-d", self.ftp_root, "-u", USER, "-P", PASSWORD, "-r", f"{pasv}-{pasv + 20}"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_port(self.ftp_port, proc=self.pyftpd)
        super().__init__(tmp, ["--max_associations_per_ip=200"])

    def start_bridge(self):
        # The captures' identity (no host named) is routed to the FTP server.
        with open(self.routes, "w") as f:
            f.write(f"""routes:
  - name: ftp-server
    hosts: [127.0.0.1]
    users: [{USER}]
    destination: ftp://127.0.0.1:{self.ftp_port}
""")
        self._spawn("bridge", [os.path.join(BIN, "bridge", "bridge"), "--listen", f"127.0.0.1:{self.bridge_port}",
                               "--routes", self.routes, "--metrics_listen", f"127.0.0.1:{self.bridge_metrics}",
                               "--ftp_front", f"127.0.0.1:{self.ftp_grpc}"])
        wait_port(self.bridge_port, proc=self.procs["bridge"])
        ftp_metrics, ftp_listen = free_port(), free_port()
        self._spawn("ftp-front", [os.path.join(BIN, "ftp-front", "ftp-front"), "--listen", f"127.0.0.1:{ftp_listen}",
                                  "--implicit_listen=", "--bridge", f"127.0.0.1:{self.bridge_port}",
                                  "--grpc_listen", f"127.0.0.1:{self.ftp_grpc}",
                                  "--metrics_listen", f"127.0.0.1:{ftp_metrics}"])
        wait_port(self.ftp_grpc, proc=self.procs["ftp-front"])

    def stop(self):
        super().stop()
        self.pyftpd.terminate()
        self.pyftpd.wait()


@pytest.fixture(scope="module")
def gw(tmp_path_factory):
    if not os.path.exists(REPLAY):
        pytest.skip("ftam_replay is not built")
    g = FtpBehindFtam(str(tmp_path_factory.mktemp("ftam2ftp")))
    yield g
    g.stop()


@pytest.mark.parametrize("capture", [c for c in CAPTURE_NAMES if c.startswith("ftam-")])
def test_isode_initiator_on_an_ftp_server(gw, capture, tmp_path):
    for name in os.listdir(gw.ftp_root):
        p = os.path.join(gw.ftp_root, name)
        subprocess.run(["rm", "-rf", p], check=True)
    subprocess.run([REPLAY, "prepare", capture_path(capture), gw.ftp_root], check=True)
    before = {}
    for dirpath, _, files in os.walk(gw.ftp_root):
        for f in files:
            before[os.path.relpath(os.path.join(dirpath, f), gw.ftp_root)] = open(os.path.join(dirpath, f), "rb").read()
    written = str(tmp_path / "written")
    r = subprocess.run([REPLAY, "run", capture_path(capture), f"127.0.0.1:{gw.ftam_port}", "--written", written,
                        "--timeout", "20", "--any-file-type"], capture_output=True, text=True, timeout=180)
    assert r.returncode == 0, r.stdout + r.stderr + gw.log_text("ftam-front")[-3000:]
    if os.path.isdir(written):
        for dirpath, _, files in os.walk(written):
            for f in files:
                rel = os.path.relpath(os.path.join(dirpath, f), written)
                data = open(os.path.join(dirpath, f), "rb").read()
                stored = open(os.path.join(gw.ftp_root, rel), "rb").read()
                assert stored == (before.get(rel, b"") + data if capture == "ftam-append" else data), rel


def test_100_concurrent_associations_each_on_its_own_ftp_login(gw):
    for name in os.listdir(gw.ftp_root):
        subprocess.run(["rm", "-rf", os.path.join(gw.ftp_root, name)], check=True)
    subprocess.run([REPLAY, "prepare", capture_path("ftam-get-text"), gw.ftp_root], check=True)
    procs = [subprocess.Popen([REPLAY, "run", capture_path("ftam-get-text"), f"127.0.0.1:{gw.ftam_port}", "--timeout", "60"],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT) for _ in range(100)]
    outs = [p.communicate(timeout=300)[0].decode() for p in procs]
    failed = [o for p, o in zip(procs, outs) if p.returncode != 0]
    assert failed == [], failed[:2]


def test_ftp_server_killed_mid_read_is_provider_abort_within_2s(tmp_path):
    g = FtpBehindFtam(str(tmp_path))
    try:
        subprocess.run([REPLAY, "prepare", capture_path("ftam-get-binary"), g.ftp_root], check=True)
        with open(os.path.join(g.ftp_root, "random.bin"), "wb") as f:
            for _ in range(512):
                f.write(os.urandom(1 << 20))
        p = subprocess.Popen([REPLAY, "run", capture_path("ftam-get-binary"), f"127.0.0.1:{g.ftam_port}", "--timeout", "20"],
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        deadline = time.time() + 10
        while "event=ftam.associated" not in g.log_text("ftam-front") and time.time() < deadline:
            time.sleep(0.02)
        time.sleep(0.5)
        killed = time.time()
        g.pyftpd.kill()
        aborted = None
        while time.time() < killed + 10:
            text = g.log_text("ftam-front")
            if "event=ftam.provider_abort" in text:
                aborted = time.time()
                break
            time.sleep(0.02)
        out = p.communicate(timeout=60)[0].decode()
        assert aborted is not None and aborted - killed < 2.0, g.log_text("ftam-front")[-2000:]
        # RFC 1415 §5: the FTP connection dropped during a transfer is an F-P-ABORT (1011).
        assert "diagnostic=1011" in g.log_text("ftam-front")
    finally:
        g.stop()
