"""--strict_tls_eof with the client that needs it relaxed: netkit ftp-ssl closes an upload's
data connection before its TLS close_notify. By default the upload is refused as a possible
truncation and nothing is stored; with --strict_tls_eof=false it is stored, and each such
upload is logged at warn for the operator (README, "Clients")."""
import os
import shutil
import subprocess

import pytest

from conftest import PASSWORD, Gateway

pytestmark = pytest.mark.skipif(not shutil.which("ftp-ssl"), reason="ftp-ssl is not installed (deploy/install-deps.sh test)")


def ftp_ssl_put(g, src, name):
    script = f"user demo {PASSWORD}\nbinary\nput {src} {name}\nquit\n"
    r = subprocess.run(["ftp-ssl", "-n", "-v", "-p", "-z", "secure", "127.0.0.1", str(g.ftp_port)],
                       input=script.encode(), capture_output=True, timeout=60)
    return (r.stdout + r.stderr).decode(errors="replace")


@pytest.mark.parametrize("strict", [True, False])
def test_ftp_ssl_upload(tmp_path, strict):
    src = tmp_path / "up.bin"
    src.write_bytes(os.urandom(200_000))
    g = Gateway(str(tmp_path / "gw"), extra_ftp_args=[] if strict else ["--strict_tls_eof=false"])
    try:
        out = ftp_ssl_put(g, src, "ftp-ssl-up.bin")
        assert "230" in out, out  # logged in over TLS
        log = g.log_text("ftp-front")
        accepted = [l for l in log.splitlines() if "event=ftp.tls_truncated_accepted" in l]
        if strict:
            assert "426 Transfer aborted: the data connection closed without TLS close_notify" in out, out
            assert not os.path.exists(g.path("ftp-ssl-up.bin"))
            assert not accepted
        else:
            assert "226" in out, out
            assert open(g.path("ftp-ssl-up.bin"), "rb").read() == src.read_bytes()
            assert len(accepted) == 1 and " level=warn " in accepted[0], accepted
    finally:
        g.stop()
