"""The FTP-initiated gateway (RFC 1415 §4.1, §5.1, §8.1, §9.2): FTP clients (curl, lftp,
ftplib; plain, explicit and implicit FTPS) reach an FTAM responder through ftp-front, the
bridge and ftam-front's initiator role. The responder is ftam-front's own responder role
serving a file:// filestore ("far"), so every byte crosses: FTP -> ftp-front -> bridge ->
ftam-front (initiator) -> RFC 1006/OSI/FTAM -> ftam-front (responder) -> bridge -> file://.
"""
import ftplib
import hashlib
import io
import os
import socket
import ssl
import subprocess
import threading
import time

import pytest

from conftest import BIN, PASSWORD, Gateway, curl, free_port, free_range, wait_port
from rawftp import Raw

FTAM_USER = "ftamuser"


class FtpToFtam(Gateway):
    def __init__(self, tmp):
        self.far = os.path.join(tmp, "far")
        os.makedirs(os.path.join(self.far, "sub", "deeper"))
        with open(os.path.join(self.far, "notes.txt"), "w") as f:
            f.write("first line\nsecond line\n" + "x" * 5000 + "\nlast\n")
        self.binary = os.urandom(1_000_003)
        with open(os.path.join(self.far, "sub", "blob.bin"), "wb") as f:
            f.write(self.binary)
        with open(os.path.join(self.far, "locked.txt"), "w") as f:
            f.write("no access\n")
        os.chmod(os.path.join(self.far, "locked.txt"), 0)
        # A link out of the far filestore: refused by the responder's side even to root.
        os.symlink("/etc/hostname", os.path.join(self.far, "escape.txt"))
        self.ftam_port, self.ftam_grpc, self.ftam_metrics = free_port(), free_port(), free_port()
        hashed = subprocess.run([os.path.join(BIN, "bridge", "bridge"), "hash-password"], input=PASSWORD + "\n",
                                capture_output=True, text=True, check=True).stdout.strip()
        routes = f"""  - name: far
    hosts: [far]
    users: [{FTAM_USER}]
    destination: file://{self.far}
    accounts:
      {FTAM_USER}: "{hashed}"
  - name: osi
    hosts: [osi]
    destination: ftam://127.0.0.1:{self.ftam_port}/?tsel=0103
  - name: osi-anywhere
    hosts: [127.0.0.1]
    destination: ftam://127.0.0.1:{self.ftam_port}
    schemes: [ftam]
    ports: ["1-65535"]
  - name: osi-dir
    destination: directory:far-ftam
directory:
  - name: far-ftam
    dn: "@c=US@o=Test Org@ou=Gateway@cn=far@cn=FTAM service"
    ufn: ["far ftam, test org, us"]
    presentation_address: "'0103'H/Internet=127.0.0.1+{self.ftam_port}"
"""
        # 100 concurrent transfers need more passive ports than the default fixture's 50.
        pasv = free_range(250)
        super().__init__(tmp, extra_ftp_args=["--max_sessions_per_ip=300", "--pasv_ports", f"{pasv}-{pasv + 249}"],
                         extra_bridge_args=["--ftam_front", f"127.0.0.1:{self.ftam_grpc}"], routes_extra=routes)
        self.start_ftam()

    def start_ftam(self):
        self._spawn("ftam-front", [os.path.join(BIN, "ftam-front", "ftam-front"), "--listen", f"127.0.0.1:{self.ftam_port}",
                                   "--bridge", f"127.0.0.1:{self.bridge_port}", "--grpc_listen", f"127.0.0.1:{self.ftam_grpc}",
                                   "--metrics_listen", f"127.0.0.1:{self.ftam_metrics}", "--tsel", "0103",
                                   "--max_associations_per_ip=300", "--outbound_data_timeout=20"])
        wait_port(self.ftam_port, proc=self.procs["ftam-front"])
        wait_port(self.ftam_grpc, proc=self.procs["ftam-front"])

    def ftam_url(self, path="/", scheme="ftp"):
        port = self.ftps_port if scheme == "ftps" else self.ftp_port
        return f"{scheme}://{FTAM_USER}%40osi:{PASSWORD}@127.0.0.1:{port}{path}"


@pytest.fixture(scope="module")
def gw(tmp_path_factory):
    g = FtpToFtam(str(tmp_path_factory.mktemp("ftp2ftam")))
    yield g
    g.stop()
    assert all(p.returncode in (0, -15) for p in g.procs.values()), {n: p.returncode for n, p in g.procs.items()}


def login(gw, tls=False):
    f = ftplib.FTP_TLS(context=ssl._create_unverified_context()) if tls else ftplib.FTP()
    f.connect("127.0.0.1", gw.ftp_port, timeout=30)
    if tls:
        f.auth()
    f.login(f"{FTAM_USER}@osi", PASSWORD)
    if tls:
        f.prot_p()
    return f


def far(gw, *parts):
    return os.path.join(gw.far, *parts)


def test_retr_binary_and_text_are_byte_exact(gw):
    r = curl(gw.ftam_url("/sub/blob.bin"))
    assert r.stdout == gw.binary
    # TYPE A: the text crosses as FTAM-1 (CR LF on the OSI side); on the FTP data connection
    # lines end in CR LF (curl turns them back into LF).
    original = open(far(gw, "notes.txt"), "rb").read()
    assert curl(gw.ftam_url("/notes.txt;type=a")).stdout == original
    f = login(gw)
    f.voidcmd("TYPE A")
    conn = f.transfercmd("RETR notes.txt")
    wire = b""
    while chunk := conn.recv(65536):
        wire += chunk
    conn.close()
    f.voidresp()
    f.quit()
    assert wire == original.replace(b"\n", b"\r\n")


def test_stor_appe_and_text_upload(gw):
    data = os.urandom(700_001)
    f = login(gw)
    f.storbinary("STOR up.bin", io.BytesIO(data))
    assert open(far(gw, "up.bin"), "rb").read() == data
    f.storbinary("APPE up.bin", io.BytesIO(b"tail"))
    assert open(far(gw, "up.bin"), "rb").read() == data + b"tail"
    f.storlines("STOR up.txt", io.BytesIO(b"alpha\r\nbeta\r\n"))
    assert open(far(gw, "up.txt"), "rb").read() == b"alpha\nbeta\n"
    got = []
    f.retrlines("RETR up.txt", got.append)
    assert got == ["alpha", "beta"]
    f.quit()


def test_directories_listing_and_attributes(gw):
    f = login(gw)
    assert f.pwd() == "/"
    names = f.nlst()
    assert {"notes.txt", "sub"} <= set(names), names
    facts = dict(f.mlsd())
    assert facts["sub"]["type"] == "dir"
    assert facts["notes.txt"]["type"] == "file"
    assert int(facts["notes.txt"]["size"]) == os.path.getsize(far(gw, "notes.txt"))
    f.cwd("sub")
    assert f.pwd() == "/sub"
    assert f.size("blob.bin") == len(gw.binary)
    mdtm = f.sendcmd("MDTM blob.bin")
    assert mdtm.startswith("213 ") and mdtm[4:8] == time.strftime("%Y", time.gmtime(os.path.getmtime(far(gw, "sub", "blob.bin"))))
    lines = []
    f.retrlines("LIST", lines.append)
    assert any("blob.bin" in l and str(len(gw.binary)) in l for l in lines), lines
    with pytest.raises(ftplib.error_perm) as e:
        f.cwd("blob.bin")  # a file is not a directory
    assert e.value.args[0].startswith("550")
    f.cwd("..")
    assert f.pwd() == "/"
    f.sendcmd("CDUP")
    assert f.pwd() == "/"
    assert f.mkd("newdir") in ("/newdir", "newdir")
    assert os.path.isdir(far(gw, "newdir"))
    f.rmd("newdir")
    assert not os.path.exists(far(gw, "newdir"))
    f.quit()


def test_rename_delete_and_errors_keep_the_responders_text(gw):
    with open(far(gw, "old.txt"), "w") as fh:
        fh.write("rename me\n")
    f = login(gw)
    f.rename("old.txt", "new.txt")
    assert os.path.exists(far(gw, "new.txt")) and not os.path.exists(far(gw, "old.txt"))
    f.delete("new.txt")
    assert not os.path.exists(far(gw, "new.txt"))
    with pytest.raises(ftplib.error_perm) as e:
        f.retrbinary("RETR missing.bin", lambda b: None)
    assert e.value.args[0].startswith("550"), e.value
    with pytest.raises(ftplib.error_perm) as e:
        f.delete("missing.bin")
    assert e.value.args[0].startswith("550"), e.value
    # A permission refusal: the responder refuses, its diagnostic becomes §9.2's 550 with
    # its text.
    with pytest.raises(ftplib.error_perm) as e:
        f.retrbinary("RETR escape.txt", lambda b: None)
    assert e.value.args[0][:3] == "550" and "outside the filestore" in e.value.args[0], e.value
    if os.geteuid() != 0:
        with pytest.raises(ftplib.error_perm) as e:
            f.retrbinary("RETR locked.txt", lambda b: None)
        assert e.value.args[0][:3] in ("550", "553"), e.value
    # The session is still usable after every refusal.
    assert f.size("notes.txt") == os.path.getsize(far(gw, "notes.txt"))
    f.quit()


def test_rest_retr_resumes(gw):
    f = login(gw)
    f.voidcmd("TYPE I")
    buf = io.BytesIO()
    f.retrbinary("RETR sub/blob.bin", buf.write, rest=123_456)
    assert buf.getvalue() == gw.binary[123_456:]
    f.quit()


def test_abor_mid_retr_then_the_session_goes_on(gw):
    big = os.urandom(40 << 20)
    with open(far(gw, "big.bin"), "wb") as fh:
        fh.write(big)
    f = login(gw)
    f.voidcmd("TYPE I")
    conn = f.transfercmd("RETR big.bin")
    conn.recv(65536)
    resp = f.abort()
    conn.close()
    # RFC 959: the aborted transfer's 426, then 226 for the ABOR itself.
    assert resp[:3] == "426", resp
    assert f.voidresp()[:3] == "226"
    assert f.size("notes.txt") == os.path.getsize(far(gw, "notes.txt"))
    buf = io.BytesIO()
    f.retrbinary("RETR notes.txt", buf.write)
    assert buf.getvalue() == open(far(gw, "notes.txt"), "rb").read()
    f.quit()
    os.remove(far(gw, "big.bin"))


def test_abor_mid_stor_leaves_nothing_under_the_name(gw):
    f = login(gw)
    f.voidcmd("TYPE I")
    conn = f.transfercmd("STOR aborted.bin")
    conn.sendall(os.urandom(2 << 20))
    resp = f.abort()
    conn.close()
    assert resp[:3] in ("225", "226", "426"), resp
    if resp[:3] == "426":
        assert f.voidresp()[:3] == "226"
    time.sleep(0.5)
    assert not os.path.exists(far(gw, "aborted.bin")), "an aborted upload must not look complete"
    assert f.pwd() == "/"
    f.quit()


@pytest.mark.parametrize("mode", ["plain", "explicit", "implicit"])
def test_lftp_every_mode(gw, mode, tmp_path):
    settings = ["set ssl:verify-certificate no", "set net:max-retries 1", "set net:timeout 10", "set cmd:fail-exit yes"]
    if mode == "plain":
        settings.append("set ftp:ssl-allow no")
        url = f"ftp://127.0.0.1:{gw.ftp_port}"
    elif mode == "explicit":
        settings += ["set ftp:ssl-force yes", "set ftp:ssl-protect-data yes"]
        url = f"ftp://127.0.0.1:{gw.ftp_port}"
    else:
        settings += ["set ftp:ssl-protect-data yes"]
        url = f"ftps://127.0.0.1:{gw.ftps_port}"
    local = tmp_path / "lftp-up.bin"
    payload = os.urandom(300_000)
    local.write_bytes(payload)
    script = "; ".join(settings + [f"open -u {FTAM_USER}@osi,{PASSWORD} {url}", f"lcd {tmp_path}",
                                   f"put lftp-up.bin -o {mode}.bin", "cls -l", f"get {mode}.bin -o back.bin",
                                   "get sub/blob.bin -o blob.bin"])
    r = subprocess.run(["lftp", "-c", script], capture_output=True, timeout=120)
    assert r.returncode == 0, r.stderr.decode() + gw.log_text("ftam-front")[-2000:]
    assert open(far(gw, f"{mode}.bin"), "rb").read() == payload
    assert (tmp_path / "back.bin").read_bytes() == payload
    assert (tmp_path / "blob.bin").read_bytes() == gw.binary
    os.remove(far(gw, f"{mode}.bin"))


@pytest.mark.parametrize("scheme,active", [("ftp", False), ("ftp", True), ("ftps", False)])
def test_curl_modes(gw, scheme, active):
    args = ["-k"] if scheme == "ftps" else []
    if active:
        args += ["-P", "127.0.0.1"]
    r = curl(*args, gw.ftam_url("/sub/blob.bin", scheme))
    assert hashlib.sha256(r.stdout).digest() == hashlib.sha256(gw.binary).digest()


def test_site_url_names_the_responder(gw):
    # SITE with an ftam:// URL (the route allows ftam on 127.0.0.1), then the responder's login.
    f = ftplib.FTP()
    f.connect("127.0.0.1", gw.ftp_port, timeout=30)
    f.sendcmd(f"SITE ftam://127.0.0.1:{gw.ftam_port}/?tsel=0103")
    f.login(FTAM_USER, PASSWORD)
    assert f.size("notes.txt") == os.path.getsize(far(gw, "notes.txt"))
    f.quit()
    # A wrong transport selector: the responder refuses at the transport layer.
    f = ftplib.FTP()
    f.connect("127.0.0.1", gw.ftp_port, timeout=30)
    f.sendcmd(f"SITE ftam://127.0.0.1:{gw.ftam_port}/?tsel=0999")
    with pytest.raises(ftplib.error_perm):
        f.login(FTAM_USER, PASSWORD)
    f.close()


def test_bad_password_is_refused_by_the_responder(gw):
    f = ftplib.FTP()
    f.connect("127.0.0.1", gw.ftp_port, timeout=30)
    with pytest.raises(ftplib.error_perm) as e:
        f.login(f"{FTAM_USER}@osi", "wrong")
    assert e.value.args[0].startswith("530"), e.value
    f.close()


def test_hundred_concurrent_sessions_each_with_an_association(gw):
    errors = []
    start = threading.Barrier(100)

    def one(i):
        try:
            f = login(gw)
            start.wait(timeout=60)
            buf = io.BytesIO()
            f.retrbinary("RETR notes.txt", buf.write)
            assert buf.getvalue() == open(far(gw, "notes.txt"), "rb").read()
            f.storbinary(f"STOR conc-{i}.bin", io.BytesIO(str(i).encode() * 1000))
            f.quit()
        except Exception as e:  # noqa: BLE001
            errors.append(repr(e))

    threads = [threading.Thread(target=one, args=(i,)) for i in range(100)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=180)
    assert not errors, errors[:5]
    for i in range(100):
        path = far(gw, f"conc-{i}.bin")
        assert open(path, "rb").read() == str(i).encode() * 1000
        os.remove(path)


def test_responder_connection_cut_mid_retr(gw):
    """The FTAM association dies mid-RETR: the FTP client hears 426 and then 421, within 2 s."""
    big = os.urandom(64 << 20)
    with open(far(gw, "cut.bin"), "wb") as fh:
        fh.write(big)
    f = login(gw)
    f.voidcmd("TYPE I")
    conn = f.transfercmd("RETR cut.bin")
    conn.recv(65536)
    # Kill the ftam-front process (both roles): the association and the leg are gone.
    gw.procs["ftam-front"].kill()
    t0 = time.monotonic()
    try:
        while conn.recv(1 << 20):
            pass
    except OSError:
        pass
    conn.close()
    replies, took = read_426_then_421(f, t0)
    assert replies and replies[0].startswith("426"), replies
    assert any(r.startswith("421") for r in replies), replies
    assert took < 3, took
    f.close()
    os.remove(far(gw, "cut.bin"))
    gw.start_ftam()
    # The gateway serves again once ftam-front is back (after the bridge's reconnect backoff).
    deadline = time.monotonic() + 20
    while True:
        try:
            f = login(gw)
            break
        except ftplib.error_perm:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)
    assert f.size("notes.txt") == os.path.getsize(far(gw, "notes.txt"))
    f.quit()


def xfer(gw, *args, input_data=None):
    env = dict(os.environ, XFER_PASSWORD=PASSWORD)
    return subprocess.run([os.path.join(BIN, "bridge", "xfer"), "--bridge", f"127.0.0.1:{gw.bridge_port}", *args],
                          capture_output=True, env=env, input=input_data, timeout=60)


def test_xfer_on_an_ftam_responder(gw, tmp_path):
    """xfer speaks ftam:// for operators checking a responder without an FTP client."""
    base = f"ftam://{FTAM_USER}@127.0.0.1:{gw.ftam_port}"
    q = "?tsel=0103"
    r = xfer(gw, "ls", f"{base}/{q}")
    assert r.returncode == 0, r.stderr
    assert "notes.txt" in r.stdout.decode() and "sub" in r.stdout.decode()
    r = xfer(gw, "stat", "--json", f"{base}/sub/blob.bin{q}")
    assert r.returncode == 0, r.stderr
    assert f'"size":{len(gw.binary)}' in r.stdout.decode().replace(" ", ""), r.stdout
    out = tmp_path / "blob.bin"
    r = xfer(gw, "get", f"{base}/sub/blob.bin{q}", str(out))
    assert r.returncode == 0, r.stderr
    assert out.read_bytes() == gw.binary
    src = tmp_path / "up.bin"
    src.write_bytes(os.urandom(123_457))
    r = xfer(gw, "put", str(src), f"{base}/xfer-up.bin{q}")
    assert r.returncode == 0, r.stderr
    assert open(far(gw, "xfer-up.bin"), "rb").read() == src.read_bytes()
    r = xfer(gw, "mv", f"{base}/xfer-up.bin{q}", "/xfer-moved.bin")
    assert r.returncode == 0, r.stderr
    assert os.path.exists(far(gw, "xfer-moved.bin")) and not os.path.exists(far(gw, "xfer-up.bin"))
    r = xfer(gw, "rm", f"{base}/xfer-moved.bin{q}")
    assert r.returncode == 0, r.stderr
    assert not os.path.exists(far(gw, "xfer-moved.bin"))
    r = xfer(gw, "get", f"{base}/missing.bin{q}", str(tmp_path / "m"))
    assert r.returncode != 0
    assert b"missing.bin" in r.stderr or b"not found" in r.stderr.lower(), r.stderr


# RFC 1415 §5.1, the FTP-initiated login, row by row: SITE and ACCT before USER are kept
# (5.1.1), USER names the responder or takes the saved SITE (5.1.2), PASS makes the
# association (5.1.3-5.1.4) and its success is 230 (5.1.5); QUIT releases it (5.1.8).
LOGIN_ROWS = [
    ("USER user@name", [("USER ftamuser@osi", 331), ("PASS {pw}", 230)]),
    ("SITE name, USER", [("SITE osi", 200), ("USER ftamuser", 331), ("PASS {pw}", 230)]),
    ("ACCT, SITE, USER", [("ACCT acct-1", 202), ("SITE osi", 200), ("USER ftamuser", 331), ("PASS {pw}", 230)]),
    ("SITE, ACCT, USER", [("SITE osi", 200), ("ACCT acct-1", 202), ("USER ftamuser", 331), ("PASS {pw}", 230)]),
    ("USER, ACCT, PASS", [("USER ftamuser@osi", 331), ("ACCT acct-1", 202), ("PASS {pw}", 230)]),
    ("HOST name, USER", [("HOST osi", 220), ("USER ftamuser", 331), ("PASS {pw}", 230)]),
    ("SITE DN", [('SITE "@c=US@o=Test Org@ou=Gateway@cn=far@cn=FTAM service"', 200), ("USER ftamuser", 331),
                 ("PASS {pw}", 230)]),
    ("SITE UFN", [('SITE "far ftam, test org, us"', 200), ("USER ftamuser", 331), ("PASS {pw}", 230)]),
    ("SITE URL", [("SITE ftam://127.0.0.1:{port}/?tsel=0103", 200), ("USER ftamuser", 331), ("PASS {pw}", 230)]),
    ("PASS first", [("PASS {pw}", 503)]),
    ("wrong password", [("USER ftamuser@osi", 331), ("PASS wrong", 530)]),
    ("unknown name", [("SITE nowhere", 200), ("USER ftamuser", 331), ("PASS {pw}", 530)]),
]


@pytest.mark.parametrize("name,rows", LOGIN_ROWS, ids=[r[0] for r in LOGIN_ROWS])
def test_rfc1415_login_table(gw, name, rows):
    c = Raw(gw.ftp_port)
    assert c.reply()[0] == 220
    for command, expected in rows:
        code, text = c.cmd(command.format(pw=PASSWORD, port=gw.ftam_port))
        assert code == expected, (command, text)
    if rows[-1][1] == 230:
        # The association works, then QUIT releases it (F-TERMINATE).
        assert c.cmd("SIZE notes.txt") == (213, f"213 {os.path.getsize(far(gw, 'notes.txt'))}")
        assert c.cmd("QUIT")[0] == 221


class FarResponder:
    """A second ftam-front, only a responder (the "far" FTAM system), on its own port."""

    def __init__(self, gw):
        self.port, self.metrics = free_port(), free_port()
        self.log = os.path.join(gw.tmp, f"far-ftam-{self.port}.log")
        self.proc = subprocess.Popen(
            [os.path.join(BIN, "ftam-front", "ftam-front"), "--listen", f"127.0.0.1:{self.port}",
             "--bridge", f"127.0.0.1:{gw.bridge_port}", "--grpc_listen=", "--metrics_listen", f"127.0.0.1:{self.metrics}"],
            stdout=open(self.log, "ab"), stderr=subprocess.STDOUT)
        wait_port(self.port, proc=self.proc)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()


def read_426_then_421(f, t0):
    replies = []
    f.sock.settimeout(5)
    try:
        replies.append(f.getresp())
    except ftplib.Error as e:
        replies.append(str(e))
    try:
        replies.append(f.getline())
    except (OSError, EOFError):
        pass
    return replies, time.monotonic() - t0


@pytest.mark.parametrize("direction", ["RETR", "STOR"])
def test_the_responders_connection_cut_mid_transfer(gw, direction):
    """The far responder's TCP connection dies mid-transfer (its process is killed): the FTP
    client hears 426 then 421 within 2 s, and no partial upload stands under its name."""
    far_ftam = FarResponder(gw)
    name = f"cut-{direction}.bin"
    try:
        if direction == "RETR":
            with open(far(gw, name), "wb") as fh:
                fh.write(os.urandom(64 << 20))
        f = ftplib.FTP()
        f.connect("127.0.0.1", gw.ftp_port, timeout=30)
        f.sendcmd(f"SITE ftam://127.0.0.1:{far_ftam.port}/")
        f.login(FTAM_USER, PASSWORD)
        f.voidcmd("TYPE I")
        conn = f.transfercmd(f"{direction} {name}")
        if direction == "RETR":
            conn.recv(65536)
        else:
            conn.sendall(os.urandom(4 << 20))
        far_ftam.proc.kill()
        t0 = time.monotonic()
        try:
            if direction == "RETR":
                while conn.recv(1 << 20):
                    pass
            else:
                conn.settimeout(5)
                while True:
                    conn.sendall(os.urandom(1 << 20))
        except OSError:
            pass
        conn.close()
        replies, took = read_426_then_421(f, t0)
        assert replies and replies[0].startswith("426"), replies
        assert any(r.startswith("421") for r in replies), replies
        assert took < 3, took
        f.close()
        if direction == "STOR":
            time.sleep(0.5)
            assert not os.path.exists(far(gw, name)), "a cut upload must not look complete"
    finally:
        far_ftam.stop()
        if os.path.exists(far(gw, name)):
            os.remove(far(gw, name))
