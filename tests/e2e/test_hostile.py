"""Hostile and broken input, as a table: each row is what a client sends and the reply (or
close) it must get. After the table the gateway still serves other clients, and no partial
upload is left under a real name."""
import os
import socket
import ssl
import time

import pytest

from conftest import PASSWORD, Gateway
from rawftp import Raw


def login(gw, implicit=False):
    r = Raw(gw.ftps_port if implicit else gw.ftp_port, implicit=implicit)
    assert r.reply()[0] == 220
    assert r.cmd("USER demo")[0] == 331
    assert r.cmd("PASS " + PASSWORD)[0] == 230
    return r


# (name, logged_in, line(s) to send, expected reply code of the last line)
ROWS = [
    ("overlong line", False, [b"NOOP " + b"A" * 10000 + b"\r\n"], 500),
    ("binary garbage", False, [b"\x00\x01\x02\xfe\xfd\r\n"], 500),
    ("empty line", False, [b"\r\n"], 500),
    ("verb too long", False, ["ABCDEFG x"], 500),
    ("unknown verb", False, ["XYZZ"], 502),
    ("retr before login", False, ["RETR hello.txt"], 530),
    ("list before login", False, ["LIST"], 530),
    ("pass before user", False, ["PASS x"], 503),
    ("prot without tls", False, ["PROT P"], 503),
    ("pbsz without tls", False, ["PBSZ 0"], 503),
    ("unknown auth mechanism", False, ["AUTH KERBEROS"], 504),
    ("ccc without tls", True, ["CCC"], 533),
    ("telnet junk then noop", False, [b"\xff\xfb\x01\xff\xf4NOOP\r\n"], 200),
    ("rnto without rnfr", True, ["RNTO x"], 503),
    ("port to another host", True, ["PORT 10,1,2,3,19,136"], 500),
    ("eprt to another host", True, ["EPRT |1|192.0.2.1|5000|"], 500),
    ("port to a low port", True, ["PORT 127,0,0,1,0,21"], 500),
    ("port malformed", True, ["PORT 1,2,3"], 501),
    ("eprt malformed", True, ["EPRT |9|x|y|"], 522),
    ("epsv unknown family", True, ["EPSV 3"], 522),
    ("retr absolute outside path", True, ["EPSV", "RETR /etc/passwd"], 550),
    ("retr dotdot escape", True, ["EPSV", "RETR ../../../../etc/passwd"], 550),
    ("retr through symlink out", True, ["EPSV", "RETR escape/passwd"], 550),
    ("cwd through symlink out", True, ["CWD escape"], 550),
    ("retr with NUL", True, ["EPSV", b"RETR hel\x00lo.txt\r\n"], 553),
    ("retr missing", True, ["EPSV", "RETR nope.txt"], 550),
    ("retr a directory", True, ["EPSV", "RETR pub"], 550),
    ("type unknown", False, ["TYPE X"], 504),
    ("mode block", False, ["MODE B"], 504),
    ("stru record", False, ["STRU R"], 504),
    ("rest not a number", True, ["REST abc"], 501),
    ("mkd existing", True, ["MKD pub"], 550),
    ("rmd not empty", True, ["RMD pub"], 550),
    ("dele a directory", True, ["DELE pub"], 550),
    ("size of a directory", True, ["SIZE pub"], 550),
    ("list missing", True, ["LIST nope"], 425),  # no data connection set up: refused first
    ("retr without data connection", True, ["RETR hello.txt"], 425),
    ("host after user", False, ["USER demo", "HOST demo"], 503),
    ("smnt", True, ["SMNT /"], 502),
    ("rest past the end", True, ["REST 999999999", "EPSV", "RETR hello.txt"], 554),
    ("unknown destination", False, ["USER demo@nowhere.example", "PASS x"], 530),
]


@pytest.fixture(scope="module")
def escape_link(gw):
    os.symlink("/etc", gw.path("escape"))
    yield
    os.unlink(gw.path("escape"))


@pytest.mark.parametrize("name,logged_in,lines,expected", ROWS, ids=[r[0] for r in ROWS])
def test_row(gw, escape_link, name, logged_in, lines, expected):
    r = login(gw) if logged_in else Raw(gw.ftp_port)
    if not logged_in:
        assert r.reply()[0] == 220
    code, text = None, None
    for l in lines:
        code, text = r.cmd(l if isinstance(l, bytes) else l)
    assert code == expected, text
    # The connection is still usable after the refusal.
    assert r.cmd("NOOP")[0] == 200
    r.close()


def test_tls_garbage_on_implicit_port_closes(gw):
    s = socket.create_connection(("127.0.0.1", gw.ftps_port), timeout=10)
    s.sendall(os.urandom(2000))
    # Random bytes may begin a plausible TLS record that waits for more: then the handshake
    # timeout (20 s) closes it.
    s.settimeout(30)
    data = b""
    try:
        while True:
            chunk = s.recv(4096)
            if not chunk:
                break
            data += chunk
    except ConnectionResetError:
        pass
    assert b"220" not in data  # no greeting in plaintext, the connection is closed


def test_plain_ftp_on_implicit_port_closes(gw):
    s = socket.create_connection(("127.0.0.1", gw.ftps_port), timeout=10)
    s.sendall(b"USER demo\r\n")
    s.settimeout(10)
    try:
        assert b"220" not in s.recv(4096)
    except ConnectionResetError:
        pass


def test_auth_on_implicit_refused(gw):
    r = Raw(gw.ftps_port, implicit=True)
    assert r.reply()[0] == 220
    assert r.cmd("AUTH TLS")[0] == 534
    assert r.cmd("CCC")[0] in (530, 534)


def test_rein_on_implicit_replies_then_closes(gw):
    r = login(gw, implicit=True)
    assert r.cmd("REIN")[0] == 220
    assert r.closed()


def test_bad_passwords_then_close(gw):
    r = Raw(gw.ftp_port)
    assert r.reply()[0] == 220
    for i in range(3):
        assert r.cmd("USER demo")[0] == 331
        code, text = r.cmd("PASS wrong")
        assert code == 530, text
    assert r.reply()[0] == 421
    assert r.closed()
    assert PASSWORD not in open(gw.logs["ftp-front"]).read()
    assert "wrong" not in open(gw.logs["bridge"]).read()


def test_client_vanishes_mid_upload(gw):
    r = login(gw)
    code, text = r.cmd("EPSV")
    port = int(text.split("|||")[1].split("|")[0])
    r.send("STOR vanished.bin\r\n")
    d = socket.create_connection(("127.0.0.1", port))
    assert r.reply()[0] == 150
    d.sendall(os.urandom(1_000_000))
    # The client dies: the control connection is reset, the data connection too.
    r.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
    r.close()
    d.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
    d.close()
    time.sleep(1)
    assert not os.path.exists(gw.path("vanished.bin"))
    assert not [n for n in os.listdir(gw.root) if ".part" in n]


@pytest.mark.parametrize("arg", ["", " /"], ids=["status", "listing"])
def test_stat_during_an_upload(gw, arg):
    """STAT during a transfer: without a path it answers at once with the transfer's status;
    with a path (a listing) it is answered after the transfer, which completes intact."""
    r = login(gw)
    assert r.cmd("TYPE I")[0] == 200
    code, text = r.cmd("EPSV")
    port = int(text.split("|||")[1].split("|")[0])
    name = f"stat-during{arg.strip().replace('/', '-root')}.bin"
    r.send(f"STOR {name}\r\n")
    d = socket.create_connection(("127.0.0.1", port))
    assert r.reply()[0] == 150
    data = os.urandom(8 << 20)
    d.sendall(data[:4 << 20])
    r.send(f"STAT{arg}\r\n")
    if not arg:
        code, text = r.reply()
        assert code == 211 and "in progress" in text, text
    d.sendall(data[4 << 20:])
    d.close()
    assert r.reply()[0] == 226
    if arg:
        code, text = r.reply()
        assert code == 213 and name in text, text
    assert open(gw.path(name), "rb").read() == data
    r.close()
    assert gw.alive()


def test_truncated_tls_upload_is_not_complete(gw):
    r = Raw(gw.ftp_port)
    assert r.reply()[0] == 220
    assert r.cmd("AUTH TLS")[0] == 234
    r.tls()
    assert r.cmd("USER demo")[0] == 331
    assert r.cmd("PASS " + PASSWORD)[0] == 230
    assert r.cmd("PBSZ 0")[0] == 200
    assert r.cmd("PROT P")[0] == 200
    code, text = r.cmd("EPSV")
    port = int(text.split("|||")[1].split("|")[0])
    raw = socket.create_connection(("127.0.0.1", port))
    d = r.ctx.wrap_socket(raw, server_hostname="localhost", session=r.sock.session)
    r.send("STOR truncated.bin\r\n")
    assert r.reply()[0] == 150
    d.sendall(os.urandom(100_000))
    # Close without TLS close_notify (Python sends it only on unwrap()): a truncation, not
    # an end of file.
    d.close()
    code, text = r.reply()
    assert code == 426, text
    assert not os.path.exists(gw.path("truncated.bin"))
    r.close()


def test_still_serving_after_all_of_it(gw):
    r = login(gw)
    assert r.cmd("PWD")[0] == 257
    r.close()
    assert gw.alive()


def test_limits(tmp_path):
    g = Gateway(str(tmp_path), extra_ftp_args=["--idle_timeout=2", "--max_sessions_per_ip=2"])
    try:
        time.sleep(0.5)  # the start-up probes' sessions have ended
        a = Raw(g.ftp_port)
        b = Raw(g.ftp_port)
        assert a.reply()[0] == 220 and b.reply()[0] == 220
        c = Raw(g.ftp_port)
        code, text = c.reply()
        assert code == 421 and "Too many sessions" in text
        # Idle timeout: 421 and close.
        code, text = a.reply()
        assert code == 421 and "Idle" in text
        assert a.closed()
    finally:
        g.stop()
