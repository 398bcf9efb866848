"""Security options of ftp-front: TLS required for login, PROT P required, TLS 1.2+ only,
the advertised passive address, and AUTH SSL ([MS-FTPS]) as lftp sends it when FEAT lists it."""
import os
import ssl
import subprocess

import pytest

from conftest import PASSWORD, Gateway, lftp
from rawftp import Raw


@pytest.fixture(scope="module")
def strict(tmp_path_factory):
    g = Gateway(str(tmp_path_factory.mktemp("strict")),
                extra_ftp_args=["--require_tls_login", "--require_prot_p", "--pasv_address", "127.0.0.9"],
                pasv_base=48000 + os.getpid() % 100 * 10)
    yield g
    g.stop()


def test_login_needs_tls(strict):
    r = Raw(strict.ftp_port)
    assert r.reply()[0] == 220
    code, text = r.cmd("USER demo")
    assert code == 530 and "TLS" in text
    assert r.cmd("AUTH TLS")[0] == 234
    r.tls()
    assert r.cmd("USER demo")[0] == 331
    assert r.cmd("PASS " + PASSWORD)[0] == 230
    # PROT C is refused by policy, and so is a data transfer without PROT P.
    assert r.cmd("PROT C")[0] == 534
    assert r.cmd("EPSV")[0] == 229
    code, text = r.cmd("LIST")
    assert code == 521 and "PROT P" in text
    # The advertised passive address is the configured one (NAT, containers).
    assert r.cmd("PBSZ 0")[0] == 200 and r.cmd("PROT P")[0] == 200
    code, text = r.cmd("PASV")
    assert code == 227 and "(127,0,0,9," in text, text


def test_old_tls_versions_refused(gw):
    for version in ("-tls1", "-tls1_1"):
        p = subprocess.run(["openssl", "s_client", version, "-cipher", "DEFAULT@SECLEVEL=0",
                            "-connect", f"127.0.0.1:{gw.ftps_port}"], input=b"", capture_output=True, timeout=20)
        out = p.stdout.decode(errors="replace") + p.stderr.decode(errors="replace")
        assert "220 " not in out, out[-500:]
    # TLS 1.2 and 1.3 work.
    for maxv in (ssl.TLSVersion.TLSv1_2, ssl.TLSVersion.TLSv1_3):
        r = Raw.__new__(Raw)
        r.buf = b""
        raw = __import__("socket").create_connection(("127.0.0.1", gw.ftps_port), timeout=10)
        c = ssl.create_default_context()
        c.check_hostname = False
        c.verify_mode = ssl.CERT_NONE
        c.maximum_version = maxv
        r.sock = c.wrap_socket(raw, server_hostname="localhost")
        assert r.reply()[0] == 220
        assert r.sock.version() == {ssl.TLSVersion.TLSv1_2: "TLSv1.2", ssl.TLSVersion.TLSv1_3: "TLSv1.3"}[maxv]
        r.close()


def test_lftp_auth_ssl_when_feat_lists_it(gw, tmp_path):
    out = tmp_path / "r.bin"
    r = lftp(gw, ["set ftp:ssl-auth SSL", "debug 9", f"get pub/random.bin -o {out}"], mode="explicit")
    assert r.returncode == 0, r.stderr.decode()
    wire = (r.stdout + r.stderr).decode(errors="replace")
    assert "AUTH TLS;SSL;" in wire and "---> AUTH SSL" in wire and "<--- 234" in wire, wire[-2000:]
    assert out.read_bytes() == open(gw.path("pub", "random.bin"), "rb").read()
