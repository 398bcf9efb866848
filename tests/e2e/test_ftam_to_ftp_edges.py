"""The FTAM-initiated gateway against FTP servers that behave as old servers do: one that
asks for an account after the password (332, RFC 1415 §5.2: F-INITIALIZE succeeds only after
the 230 that follows ACCT), and one that stalls in the middle of a RETR (§5: the data
timeout, then F-P-ABORT to the initiator). The server is a small scripted FTP server in
this file; the FTAM initiator is our own (ftam-front's initiator role reached by an FTP
client through the gateway, and the benchmark's minimal initiator)."""
import ftplib
import os
import socket
import subprocess
import threading
import time

import pytest

from conftest import BIN, Gateway, free_port, wait_port

BENCH_CLIENT = os.path.join(BIN, "tests", "ftam-front", "ftam_bench_client")


class ScriptedFtp:
    """Just enough FTP: USER/PASS (332 when an account is wanted)/ACCT, FEAT, PWD, CWD, TYPE,
    EPSV/PASV, SIZE, MDTM, RETR (which sends some bytes, then stalls), QUIT."""

    def __init__(self, want_account=None, stall_after=64 * 1024):
        self.want_account, self.stall_after = want_account, stall_after
        self.accounts_seen = []
        self.ends = []  # per control connection, in order: "QUIT", or "EOF" (closed without one)
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.stop_flag = threading.Event()
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self):
        while not self.stop_flag.is_set():
            try:
                c, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self.serve, args=(c,), daemon=True).start()

    def serve(self, c):
        f = c.makefile("rb")
        send = lambda s: c.sendall((s + "\r\n").encode())  # noqa: E731
        send("220 scripted server")
        data_listener = None
        logged_in = False
        try:
            for raw in f:
                line = raw.decode(errors="replace").rstrip("\r\n")
                verb, _, arg = line.partition(" ")
                verb = verb.upper()
                if verb == "USER":
                    send("331 password please")
                elif verb == "PASS":
                    if arg != "secret":
                        send("530 wrong password")
                    elif self.want_account:
                        send("332 account please")
                    else:
                        logged_in = True
                        send("230 logged in")
                elif verb == "ACCT":
                    self.accounts_seen.append(arg)
                    if arg == self.want_account:
                        logged_in = True
                        send("230 logged in with account")
                    else:
                        send("530 wrong account")
                elif verb == "FEAT":
                    send("211-Features:\r\n SIZE\r\n MDTM\r\n EPSV\r\n211 End")
                elif verb == "PWD":
                    send('257 "/" is the directory')
                elif verb in ("CWD", "TYPE", "NOOP", "OPTS", "MODE", "STRU"):
                    send("200 ok")
                elif verb == "SYST":
                    send("215 UNIX Type: L8")
                elif verb == "SIZE":
                    send("213 10485760")
                elif verb == "MDTM":
                    send("213 20260101000000")
                elif verb in ("EPSV", "PASV"):
                    if data_listener:
                        data_listener.close()
                    data_listener = socket.socket()
                    data_listener.bind(("127.0.0.1", 0))
                    data_listener.listen(1)
                    p = data_listener.getsockname()[1]
                    send(f"229 Entering Extended Passive Mode (|||{p}|)" if verb == "EPSV"
                         else f"227 Entering Passive Mode (127,0,0,1,{p >> 8},{p & 255})")
                elif verb == "RETR" and logged_in and data_listener:
                    send("150 opening data connection (10485760 bytes)")
                    d, _ = data_listener.accept()
                    d.sendall(os.urandom(self.stall_after))
                    # ... and nothing more: the server stalls with the data connection open.
                    self.stop_flag.wait(60)
                    d.close()
                    return
                elif verb == "QUIT":
                    self.ends.append("QUIT")
                    send("221 bye")
                    return
                else:
                    send("502 not implemented")
            self.ends.append("EOF")
        except OSError:
            self.ends.append("EOF")
        finally:
            c.close()

    def close(self):
        self.stop_flag.set()
        self.sock.close()


@pytest.fixture
def setup(tmp_path):
    made = []

    def start(server, ftp_args=()):
        ftam_port, ftam_grpc = free_port(), free_port()
        g = Gateway(str(tmp_path / f"gw{len(made)}"), extra_ftp_args=list(ftp_args),
                    extra_bridge_args=["--ftam_front", f"127.0.0.1:{ftam_grpc}"],
                    routes_extra=f"""  - name: old
    users: [olduser]
    destination: ftp://127.0.0.1:{server.port}
  - name: osi
    hosts: [osi]
    destination: ftam://127.0.0.1:{ftam_port}
""")
        g._spawn("ftam-front", [os.path.join(BIN, "ftam-front", "ftam-front"), "--listen", f"127.0.0.1:{ftam_port}",
                                "--bridge", f"127.0.0.1:{g.bridge_port}", "--grpc_listen", f"127.0.0.1:{ftam_grpc}",
                                "--metrics_listen", f"127.0.0.1:{free_port()}"])
        wait_port(ftam_port, proc=g.procs["ftam-front"])
        g.ftam_port = ftam_port
        made.append((g, server))
        return g

    yield start
    for g, server in made:
        g.stop()
        server.close()


def test_an_account_after_the_password(setup):
    """RFC 1415 §5.2: PASS gets 332, the filestore account goes in ACCT, then 230."""
    server = ScriptedFtp(want_account="acct-42")
    g = setup(server)
    # The FTP client's ACCT becomes the F-INITIALIZE account, which the responder side uses
    # for the far server's 332.
    f = ftplib.FTP()
    f.connect("127.0.0.1", g.ftp_port, timeout=30)
    f.sendcmd("ACCT acct-42")
    f.sendcmd("USER olduser@osi")
    assert f.sendcmd("PASS secret").startswith("230")
    assert f.size("anything.bin") == 10485760
    f.quit()
    assert "acct-42" in server.accounts_seen
    # Without the account, or with a wrong one, the login is refused.
    f = ftplib.FTP()
    f.connect("127.0.0.1", g.ftp_port, timeout=30)
    f.sendcmd("ACCT wrong")
    f.sendcmd("USER olduser@osi")
    with pytest.raises(ftplib.error_perm) as e:
        f.sendcmd("PASS secret")
    assert e.value.args[0].startswith("530"), e.value
    f.close()


def test_a_stalled_server_ends_the_association_after_the_data_timeout(setup):
    """§5: the far server stalls mid-RETR; after ftp-front's data timeout the FTAM initiator
    sees the association end (F-P-ABORT), no later than the timeout plus 2 s."""
    server = ScriptedFtp()
    g = setup(server, ftp_args=["--outbound_data_timeout=3"])
    t0 = time.monotonic()
    r = subprocess.run([BENCH_CLIENT, f"127.0.0.1:{g.ftam_port}", "olduser", "secret", "get", "big.bin"],
                       capture_output=True, text=True, timeout=60)
    took = time.monotonic() - t0
    assert r.returncode != 0, r.stdout + r.stderr
    assert "the association ended during the read" in r.stderr, r.stdout + r.stderr
    assert 3 <= took < 3 + 2 + 1, took
    log = g.log_text("ftam-front")
    assert "ftam.provider_abort" in log or "F-P-ABORT" in log or "provider_abort" in log, log[-2000:]
