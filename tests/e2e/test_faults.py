"""Faults: the bridge killed in the middle of a transfer. The FTP client is told (426, then
421 and close), nothing half-written appears under the real name, ftp-front keeps running
and serves again once the bridge is back."""
import os
import signal
import socket
import time

import pytest

from conftest import PASSWORD, Gateway
from rawftp import Raw


@pytest.fixture
def g(tmp_path):
    gw = Gateway(str(tmp_path))
    with open(gw.path("big.bin"), "wb") as f:
        f.write(os.urandom(64 * 1024 * 1024))
    yield gw
    gw.stop()


def login(gw):
    r = Raw(gw.ftp_port, timeout=30)
    assert r.reply()[0] == 220
    assert r.cmd("USER demo")[0] == 331
    assert r.cmd("PASS " + PASSWORD)[0] == 230
    return r


def epsv_port(r):
    code, text = r.cmd("EPSV")
    assert code == 229, text
    return int(text.split("|||")[1].split("|")[0])


def test_bridge_killed_during_retr(g):
    r = login(g)
    port = epsv_port(r)
    r.send("RETR big.bin\r\n")
    d = socket.create_connection(("127.0.0.1", port))
    assert r.reply()[0] == 150
    got = d.recv(1 << 20)
    assert got
    g.procs["bridge"].send_signal(signal.SIGKILL)
    # The client reads on (slowly); the transfer must end as a failure, not as complete.
    d.settimeout(30)
    total = len(got)
    try:
        while chunk := d.recv(1 << 20):
            total += len(chunk)
    except (ConnectionResetError, socket.timeout):
        pass
    assert total < 64 * 1024 * 1024
    code, text = r.reply()
    assert code == 426, text
    code, text = r.reply()
    assert code == 421, text
    assert r.closed()
    assert g.procs["ftp-front"].poll() is None


def test_bridge_killed_during_stor_leaves_nothing(g):
    r = login(g)
    port = epsv_port(r)
    r.send("STOR half.bin\r\n")
    d = socket.create_connection(("127.0.0.1", port))
    assert r.reply()[0] == 150
    d.sendall(os.urandom(8 * 1024 * 1024))
    g.procs["bridge"].send_signal(signal.SIGKILL)
    g.procs["bridge"].wait()
    try:
        d.sendall(os.urandom(1024 * 1024))
        d.close()
    except OSError:
        pass
    code, text = r.reply()
    assert code == 426, text
    assert not os.path.exists(g.path("half.bin"))
    # While the bridge is down, a new client is told the service is not available.
    r2 = Raw(g.ftp_port, timeout=30)
    assert r2.reply()[0] == 220
    assert r2.cmd("USER demo")[0] == 331
    assert r2.cmd("PASS " + PASSWORD)[0] == 421
    # The interrupted upload's hidden temporary is all that is left.
    parts = [n for n in os.listdir(g.root) if n.startswith(".half.bin.part-")]
    assert len(parts) == 1, os.listdir(g.root)
    # With the bridge back, ftp-front serves again without a restart; a restarted bridge
    # sweeps temporaries older than --sweep_temporaries_after (here 1 s).
    time.sleep(2.5)  # file times are whole seconds
    g.bridge_args = [*g.bridge_args, "--sweep_temporaries_after=1"]
    g.start_bridge()
    deadline = time.time() + 20
    while True:
        r3 = Raw(g.ftp_port, timeout=30)
        assert r3.reply()[0] == 220
        assert r3.cmd("USER demo")[0] == 331
        code, _ = r3.cmd("PASS " + PASSWORD)
        if code == 230 or time.time() > deadline:
            break
        time.sleep(0.5)
    assert code == 230
    assert r3.cmd("SIZE big.bin") == (213, "213 67108864")
    deadline = time.time() + 10
    while any(n.startswith(".half.bin.part-") for n in os.listdir(g.root)) and time.time() < deadline:
        time.sleep(0.2)
    assert not any(n.startswith(".half.bin.part-") for n in os.listdir(g.root)), os.listdir(g.root)
