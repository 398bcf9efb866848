"""What a user or an operator notices: an unknown login looks exactly like a wrong password,
CCC lets curl go on at once, and the logs say why transfers and data connections failed and
(at debug level) every reply line."""
import ftplib
import os
import re
import socket
import statistics
import subprocess
import time

import pytest

from conftest import PASSWORD, Gateway, curl


@pytest.fixture(scope="module")
def gwd(tmp_path_factory):
    # No login delay of its own, so that the bridge's share of a refusal is what is timed.
    g = Gateway(str(tmp_path_factory.mktemp("gwd")),
                extra_ftp_args=["--login_failure_delay_ms=0", "--log_level=debug", "--max_login_failures=50"])
    yield g
    g.stop()


def refusal(gw, user, password):
    f = ftplib.FTP()
    f.connect("127.0.0.1", gw.ftp_port, timeout=20)
    try:
        t0 = time.monotonic()
        with pytest.raises(ftplib.error_perm) as e:
            f.login(user, password)
        return str(e.value), time.monotonic() - t0
    finally:
        f.close()


def test_unknown_login_and_wrong_password_are_indistinguishable(gwd):
    unknown, wrong = [], []
    for _ in range(7):  # interleaved, so that a busy machine slows both alike
        unknown.append(refusal(gwd, "nobody", "guess"))
        wrong.append(refusal(gwd, "demo", "guess"))
    assert {t for t, _ in unknown} == {t for t, _ in wrong} == {"530 Login incorrect."}
    # The bridge does the same password work for a name it does not know (PBKDF2, about
    # 20 ms here): without it the unknown name is answered many times faster.
    u, w = statistics.median(s for _, s in unknown), statistics.median(s for _, s in wrong)
    assert 0.5 * w < u < 2 * w, (u, w)
    # curl shows the user the same words.
    a = curl(f"ftp://nobody:guess@127.0.0.1:{gwd.ftp_port}/", check=False)
    b = curl(f"ftp://demo:guess@127.0.0.1:{gwd.ftp_port}/", check=False)
    assert a.returncode == b.returncode == 67 and a.stderr == b.stderr


def test_a_named_destination_that_is_not_configured_is_still_named(gwd):
    text, _ = refusal(gwd, "alice@nowhere.example", "x")
    assert text.startswith("530 Login refused: no route for host nowhere.example")


def test_ccc_lets_curl_go_on_promptly(gwd):
    # curl's default CCC mode waits for the server's close_notify and never sends its own;
    # the next command must follow the 200 without the 0.5 s the gateway once waited.
    r = subprocess.run(["curl", "-sS", "-v", "--trace-time", "--max-time", "30", "--ssl-reqd", "-k", "--ftp-ssl-ccc",
                        "-l", gwd.url("/pub/")], capture_output=True, timeout=40)
    assert r.returncode == 0 and b"random.bin" in r.stdout, r.stderr.decode()
    lines = r.stderr.decode().splitlines()
    stamp = lambda l: sum(float(x) * m for x, m in zip(l.split()[0].split(":"), (3600, 60, 1)))
    i = next(i for i, l in enumerate(lines) if "< 200 Control connection cleared" in l)
    nxt = next(l for l in lines[i + 1:] if re.search(r"> (EPSV|PASV|PWD|TYPE|CWD)", l))
    gap = stamp(nxt) - stamp(lines[i])
    assert gap < 0.4, f"{gap:.3f} s between CCC's reply and the next command"


def test_ccc_with_lftp_sending_its_own_close_notify(gwd, tmp_path):
    from conftest import lftp
    out = tmp_path / "r.bin"
    r = lftp(gwd, ["set ftp:ssl-use-ccc yes", f"get pub/random.bin -o {out}", "ls pub"], mode="explicit")
    assert r.returncode == 0, r.stderr.decode()
    assert out.read_bytes() == open(gwd.path("pub", "random.bin"), "rb").read()


def log_lines(gw, event):
    return [l for l in gw.log_text("ftp-front").splitlines() if f" event={event} " in l or l.endswith(f" event={event}")]


def test_failed_transfer_logs_a_warning_with_the_reason(gwd):
    f = ftplib.FTP()
    f.connect("127.0.0.1", gwd.ftp_port, timeout=20)
    f.login("demo", PASSWORD)
    f.voidcmd("TYPE I")
    conn = f.transfercmd("STOR aborted-upload.bin")
    conn.sendall(b"x" * 10000)
    f.abort()
    conn.close()
    f.getresp()  # ABOR's own 226
    f.quit()
    deadline = time.time() + 5
    while time.time() < deadline and not any("aborted-upload.bin" in l for l in log_lines(gwd, "ftp.transfer")):
        time.sleep(0.1)
    line = next(l for l in log_lines(gwd, "ftp.transfer") if "aborted-upload.bin" in l)
    assert " level=warn " in line and "result=failed" in line and 'error="aborted by ABOR"' in line, line


def test_refused_data_connections_are_logged_with_who_and_why(gwd):
    # Stock ftplib does not resume the TLS session on the data connection.
    f = ftplib.FTP_TLS()
    f.connect("127.0.0.1", gwd.ftp_port, timeout=20)
    f.auth()
    f.login("demo", PASSWORD)
    f.prot_p()
    with pytest.raises(ftplib.error_perm) as e:
        f.nlst("/")
    assert str(e.value).startswith("522")
    f.quit()
    line = next(l for l in log_lines(gwd, "ftp.data_refused") if "resume" in l)
    assert " level=info " in line and "peer=127.0.0.1" in line and "user=demo" in line, line
    # A passive connection from another address is turned away, and logged.
    f = ftplib.FTP()
    f.connect("127.0.0.1", gwd.ftp_port, timeout=20)
    f.login("demo", PASSWORD)
    host, port = f.makepasv()
    thief = socket.socket()
    thief.bind(("127.0.0.2", 0))
    thief.connect((host, port))
    deadline = time.time() + 5
    while time.time() < deadline and not any("from=127.0.0.2" in l for l in log_lines(gwd, "ftp.data_refused")):
        time.sleep(0.1)
    thief.close()
    line = next(l for l in log_lines(gwd, "ftp.data_refused") if "from=127.0.0.2" in l)
    assert " level=info " in line and "peer=127.0.0.1" in line and "another address" in line, line
    f.close()


def test_debug_level_logs_every_reply_line(gwd):
    f = ftplib.FTP()
    f.connect("127.0.0.1", gwd.ftp_port, timeout=20)
    f.login("demo", PASSWORD)
    f.sendcmd("FEAT")
    f.makepasv()
    f.quit()
    replies = [l for l in log_lines(gwd, "ftp.reply")]
    assert any('line="227 Entering Passive Mode' in l for l in replies)
    assert any('line=211-Features:' in l or 'line="211-Features:"' in l for l in replies)
    assert any('line=" EPSV"' in l for l in replies)
    assert any('line="211 End"' in l for l in replies)
    assert not any(PASSWORD in l for l in gwd.log_text("ftp-front").splitlines())


def test_abor_in_flight_leaves_no_stale_reply_for_the_next_command(gw):
    # The abort's own result could reach the session after the transfer had ended, and
    # answer the next command ("200 Requested action not taken." to a RETR). ftplib aborts
    # a download it has stopped reading, under TLS, then starts the next one at once.
    from test_ftplib import FTP_TLS_Reuse, ctx
    big = gw.path("abort-big.bin")
    with open(big, "wb") as fh:
        fh.write(os.urandom(2_000_000))
    f = FTP_TLS_Reuse(context=ctx(), timeout=10)
    f.connect("127.0.0.1", gw.ftp_port)
    f.auth()
    f.login("demo", PASSWORD)
    f.prot_p()
    try:
        for _ in range(12):
            f.voidcmd("TYPE I")
            conn = f.transfercmd("RETR abort-big.bin")
            got = 0
            while got < 200_000:
                got += len(conn.recv(65536))
            assert f.abort()[:3] in ("225", "226", "426")
            conn.close()
            try:
                f.voidresp()
            except ftplib.all_errors:
                pass
            assert f.sendcmd("NOOP").startswith("200")
            data = bytearray()
            f.retrbinary("RETR hello.txt", data.extend)
            assert bytes(data) == b"hello\nworld\n"
    finally:
        f.quit()
