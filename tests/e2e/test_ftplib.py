"""Python ftplib against the gateway. Stock ftplib does not resume the control connection's
TLS session on data connections, which the gateway requires by default; FTP_TLS_Reuse does."""
import ftplib
import io
import os
import socket
import ssl

import pytest

from conftest import PASSWORD


def ctx():
    c = ssl.create_default_context()
    c.check_hostname = False
    c.verify_mode = ssl.CERT_NONE
    return c


class FTP_TLS_Reuse(ftplib.FTP_TLS):
    def ntransfercmd(self, cmd, rest=None):
        conn, size = ftplib.FTP.ntransfercmd(self, cmd, rest)
        if self._prot_p:
            conn = self.context.wrap_socket(conn, server_hostname=self.host, session=self.sock.session)
        return conn, size


class FTP_TLS_Implicit(FTP_TLS_Reuse):
    def connect(self, host, port, timeout=30):
        self.host, self.port = host, port
        self.sock = socket.create_connection((host, port), timeout)
        self.af = self.sock.family
        self.sock = self.context.wrap_socket(self.sock, server_hostname=host)
        self.file = self.sock.makefile("r", encoding=self.encoding)
        self.welcome = self.getresp()
        return self.welcome


def connect(gw, mode):
    if mode == "plain":
        f = ftplib.FTP()
        f.connect("127.0.0.1", gw.ftp_port, timeout=30)
        f.login("demo", PASSWORD)
    elif mode == "explicit":
        f = FTP_TLS_Reuse(context=ctx())
        f.connect("127.0.0.1", gw.ftp_port, timeout=30)
        f.auth()
        f.login("demo", PASSWORD)
        f.prot_p()
    else:
        f = FTP_TLS_Implicit(context=ctx())
        f.connect("127.0.0.1", gw.ftps_port, timeout=30)
        f.login("demo", PASSWORD)
        f.prot_p()  # implied on an implicit connection; ftplib needs it to wrap data sockets
    return f


@pytest.mark.parametrize("mode", ["plain", "explicit", "implicit"])
@pytest.mark.parametrize("passive", [True, False])
def test_operations(gw, mode, passive):
    f = connect(gw, mode)
    f.set_pasv(passive)
    d = f"py-{mode}-{passive}"
    assert f.mkd(d).endswith(d)
    f.cwd(d)
    assert f.pwd() == f"/{d}"
    data = os.urandom(654_321)
    f.storbinary("STOR a.bin", io.BytesIO(data))
    f.storbinary("APPE a.bin", io.BytesIO(b"tail"))
    assert f.size("a.bin") == len(data) + 4
    got = io.BytesIO()
    f.retrbinary("RETR a.bin", got.write)
    assert got.getvalue() == data + b"tail"
    got = io.BytesIO()
    f.retrbinary("RETR a.bin", got.write, rest=1000)
    assert got.getvalue() == (data + b"tail")[1000:]
    f.storlines("STOR t.txt", io.BytesIO(b"one\r\ntwo\r\n"))
    assert open(gw.path(d, "t.txt"), "rb").read() == b"one\ntwo\n"
    f.voidcmd("TYPE A")
    with f.transfercmd("RETR t.txt") as conn:  # raw bytes of an ASCII transfer: CRLF line ends
        wire = b""
        while chunk := conn.recv(65536):
            wire += chunk
    f.voidresp()
    assert wire == b"one\r\ntwo\r\n"
    lines = []
    f.retrlines("RETR t.txt", lines.append)
    assert lines == ["one", "two"]
    facts = dict(f.mlsd())
    assert facts["a.bin"]["type"] == "file" and facts["a.bin"]["size"] == str(len(data) + 4)
    assert sorted(f.nlst()) == ["a.bin", "t.txt"]
    assert f.sendcmd("MDTM a.bin").startswith("213 ")
    f.rename("a.bin", "b.bin")
    f.delete("b.bin")
    f.delete("t.txt")
    # STOU twice with the same name: two files, the second under a new unique name.
    r1 = f.storbinary("STOU u.txt", io.BytesIO(b"first"))
    r2 = f.storbinary("STOU u.txt", io.BytesIO(b"second"))
    assert r1.startswith("226") and r2.startswith("226"), (r1, r2)
    stored = sorted(os.listdir(gw.path(d)))
    assert len(stored) == 2 and "u.txt" in stored, stored
    assert sorted(open(gw.path(d, n), "rb").read() for n in stored) == [b"first", b"second"]
    for n in stored:
        f.delete(n)
    f.cwd("..")
    f.rmd(d)
    f.quit()


def test_stock_ftplib_without_reuse_is_refused_clearly(gw):
    f = ftplib.FTP_TLS(context=ctx())
    f.connect("127.0.0.1", gw.ftp_port, timeout=30)
    f.auth()
    f.login("demo", PASSWORD)
    f.prot_p()
    with pytest.raises(ftplib.error_perm) as e:
        f.nlst()
    assert "resume" in str(e.value) and str(e.value).startswith("522")
    # The control connection stays usable.
    assert f.pwd() == "/"
    f.quit()


def test_abort_in_flight_plain_oob(gw):
    with open(gw.path("big-abort.bin"), "wb") as fh:
        fh.write(os.urandom(50_000_000))
    f = connect(gw, "plain")
    conn = f.transfercmd("RETR big-abort.bin")
    conn.recv(65536)
    # ftplib.abort() on a plain connection sends ABOR with the last byte as urgent data,
    # while the data connection is still open.
    resp = f.abort()
    conn.close()
    assert resp.startswith("426"), resp          # the transfer's own reply first
    assert f.voidresp().startswith("226")        # then ABOR's
    assert f.pwd() == "/"
    f.quit()


def test_abort_in_flight_tls(gw):
    f = connect(gw, "explicit")
    conn = f.transfercmd("RETR big-abort.bin")
    conn.recv(65536)
    f.sock.sendall(b"ABOR\r\n")
    first = f.getline()
    assert first.startswith("426"), first
    second = f.getline()
    assert second.startswith("226"), second
    conn.close()
    assert f.pwd() == "/"
    f.quit()
