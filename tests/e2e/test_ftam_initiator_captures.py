"""ftam-front's initiator against ISODE's own responder bytes (RFC 1415 §8.1): an FTP client
works through the gateway on an "FTAM responder" that answers every request with what
ISODE's ftamd answered in the captures of ../shared/interop/isode (ftam_capture_responder).
Each exchange must complete: the FTP client gets the captured file's bytes, its uploads are
accepted, the responder's refusals reach it as FTP replies with ISODE's text (RFC 1415
§9.2), and tshark finds no malformed frame or expert error in what our initiator sent."""
import ftplib
import io
import os
import shutil
import subprocess

import pytest

from conftest import BIN, Gateway, free_port, wait_port
from test_ftam_responder import REPLAY, capture_path, tshark_problems

RESPONDER = os.path.join(BIN, "tests", "ftam-front", "ftam_capture_responder")


class Gw(Gateway):
    def __init__(self, tmp, ftam_args=()):
        self.cap_port = free_port()
        self.ftam_grpc, self.ftam_metrics, self.ftam_listen = free_port(), free_port(), free_port()
        routes = f"""  - name: isode
    hosts: [isode]
    destination: ftam://127.0.0.1:{self.cap_port}/?tsel=0103
"""
        super().__init__(tmp, extra_bridge_args=["--ftam_front", f"127.0.0.1:{self.ftam_grpc}"], routes_extra=routes)
        self._spawn("ftam-front", [os.path.join(BIN, "ftam-front", "ftam-front"), "--listen", f"127.0.0.1:{self.ftam_listen}",
                                   "--bridge", f"127.0.0.1:{self.bridge_port}", "--grpc_listen", f"127.0.0.1:{self.ftam_grpc}",
                                   "--metrics_listen", f"127.0.0.1:{self.ftam_metrics}", "--outbound_reply_timeout=5",
                                   *ftam_args])
        wait_port(self.ftam_grpc, proc=self.procs["ftam-front"])


@pytest.fixture(scope="module")
def gw(tmp_path_factory):
    if not os.path.exists(RESPONDER):
        pytest.skip("ftam_capture_responder is not built")
    g = Gw(str(tmp_path_factory.mktemp("initiator-captures")))
    yield g
    g.stop()
    assert all(p.returncode in (0, -15) for p in g.procs.values()), {n: p.returncode for n, p in g.procs.items()}


class Responder:
    def __init__(self, gw, tmp, capture, also=()):
        self.pcap = os.path.join(tmp, capture + ".pcap")
        self.log = os.path.join(tmp, capture + ".log")
        args = [RESPONDER, capture_path(capture), str(gw.cap_port), "--pcap", self.pcap]
        for a in also:
            args += ["--also", capture_path(a)]
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=open(self.log, "w"), text=True)
        assert self.proc.stdout.readline().strip() == "ready", open(self.log).read()
        self.files = os.path.join(tmp, "files")
        subprocess.run([REPLAY, "prepare", capture_path(capture), self.files], check=True)

    def stop(self):
        self.proc.terminate()
        self.proc.wait()

    def log_text(self):
        return open(self.log).read()

    def check_wire(self):
        """What our initiator sent (and ISODE's answers) decode cleanly in tshark."""
        if not shutil.which("tshark"):
            return
        frames, problems = tshark_problems(self.pcap)
        assert frames > 0
        assert problems == [], problems


@pytest.fixture(scope="module")
def gw_compact(tmp_path_factory):
    """The ours-vs-ftamd-* captures answer the context set without the old NBS-9 syntax
    (ACSE at id 9): the initiator proposes it with --outbound_old_nbs9=false."""
    if not os.path.exists(RESPONDER):
        pytest.skip("ftam_capture_responder is not built")
    g = Gw(str(tmp_path_factory.mktemp("initiator-captures-compact")), ["--outbound_old_nbs9=false"])
    yield g
    g.stop()


@pytest.fixture
def responder(tmp_path):
    made = []

    def start(gw, capture, also=()):
        r = Responder(gw, str(tmp_path), capture, also)
        made.append(r)
        return r

    yield start
    for r in made:
        r.stop()


def login(gw, user="ftamtest@isode", password="ftampass"):
    f = ftplib.FTP()
    f.connect("127.0.0.1", gw.ftp_port, timeout=30)
    f.login(user, password)
    return f


def prepared(r, name):
    with open(os.path.join(r.files, name), "rb") as fh:
        return fh.read()


@pytest.mark.parametrize("capture,name", [("ftam-get-text", "hello.txt"), ("ftam-text-multiline", "lines.txt")])
def test_text_read(gw, responder, capture, name):
    r = responder(gw, capture, also=["ftam-get-text"])
    f = login(gw)
    lines = []
    f.retrlines(f"RETR {name}", lines.append)
    f.quit()
    assert "\n".join(lines) + "\n" == prepared(r, name).decode(), r.log_text()
    r.check_wire()


def test_binary_read(gw, responder):
    r = responder(gw, "ftam-get-binary")
    f = login(gw)
    buf = io.BytesIO()
    f.retrbinary("RETR random.bin", buf.write)
    f.quit()
    assert buf.getvalue() == prepared(r, "random.bin"), r.log_text()
    r.check_wire()


def test_directory_listing(gw, responder):
    r = responder(gw, "ftam-dir-listing")
    f = login(gw)
    names = f.nlst()
    f.quit()
    expected = {n for n in os.listdir(r.files)}
    assert expected and expected <= set(names), (names, expected, r.log_text())
    r.check_wire()


@pytest.mark.parametrize("capture,command,type_", [("ftam-put", "STOR up.bin", "I"), ("ftam-append", "APPE up.txt", "A"),
                                                   ("ours-vs-ftamd-write", "STOR hello.txt", "A")])
def test_uploads_are_accepted(gw, gw_compact, responder, capture, command, type_):
    if capture.startswith("ours-vs"):
        gw = gw_compact
    r = responder(gw, capture)
    f = login(gw)
    if type_ == "A":
        reply = f.storlines(command, io.BytesIO(b"one line\r\nanother line\r\n"))
    else:
        reply = f.storbinary(command, io.BytesIO(os.urandom(70_000)))
    f.quit()
    assert reply.startswith("226"), (reply, r.log_text())
    r.check_wire()


def test_delete(gw, responder):
    r = responder(gw, "ftam-delete")
    f = login(gw)
    assert f.delete("delme.txt").startswith("250"), r.log_text()
    f.quit()
    r.check_wire()


def test_rename(gw, responder):
    # RNFR looks the file up first (read-attributes, answered from another capture).
    r = responder(gw, "ftam-rename", also=["ftam-get-text"])
    f = login(gw)
    f.rename("old.txt", "new.txt")
    f.quit()
    assert "F-SELECT-request,F-CHANGE-ATTRIB-request" in r.log_text()
    r.check_wire()


@pytest.mark.parametrize("capture", ["ftam-login-badpass", "ours-vs-ftamd-badpass"])
def test_bad_password(gw, gw_compact, responder, capture):
    if capture.startswith("ours-vs"):
        gw = gw_compact
    r = responder(gw, capture)
    with pytest.raises(ftplib.error_perm) as e:
        login(gw, password="wrong")
    assert e.value.args[0].startswith("530"), e.value
    r.check_wire()


def test_missing_file_keeps_isodes_text(gw_compact, responder):
    gw = gw_compact
    r = responder(gw, "ours-vs-ftamd-select-missing")
    f = login(gw, user="ftamuser@isode")
    with pytest.raises(ftplib.error_perm) as e:
        f.retrbinary("RETR missing.txt", lambda b: None)
    assert e.value.args[0].startswith("550"), e.value
    assert "No such file or directory" in e.value.args[0], e.value
    f.quit()
    r.check_wire()


def test_two_reads_in_one_association(gw_compact, responder):
    gw = gw_compact
    r = responder(gw, "ours-vs-ftamd-read")
    f = login(gw, user="ftamuser@isode")
    lines = []
    f.retrlines("RETR hello.txt", lines.append)
    buf = io.BytesIO()
    f.retrbinary("RETR bin.dat", buf.write)
    f.quit()
    assert "\n".join(lines) + "\n" == prepared(r, "hello.txt").decode()
    assert buf.getvalue() == prepared(r, "bin.dat")
    r.check_wire()
