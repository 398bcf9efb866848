"""lftp (GnuTLS) against the gateway: plain, explicit and implicit FTPS, active mode, and
lftp's abort (Telnet IP/Synch + ABOR)."""
import os

import pytest

from conftest import lftp


@pytest.mark.parametrize("mode", ["plain", "explicit", "implicit"])
def test_session(gw, mode, tmp_path):
    data = os.urandom(777_777)
    src = tmp_path / "src.bin"
    src.write_bytes(data)
    out = tmp_path / "out.bin"
    d = f"lftp-{mode}"
    r = lftp(gw, [f"mkdir {d}", f"cd {d}", f"put {src} -o a.bin", "ls", "nlist", "cls -l",
                  f"get a.bin -o {out}", "mv a.bin b.bin", "quote SIZE b.bin", "quote MDTM b.bin",
                  "pwd"], mode=mode)
    assert r.returncode == 0, r.stderr.decode()
    assert out.read_bytes() == data
    listing = r.stdout.decode()
    assert "a.bin" in listing
    assert os.path.exists(gw.path(d, "b.bin"))
    assert f"/{d}" in listing  # pwd
    r = lftp(gw, [f"cd {d}", "rm b.bin", "cd ..", f"rmdir {d}"], mode=mode)
    assert r.returncode == 0, r.stderr.decode()
    assert not os.path.exists(gw.path(d))


def test_resume_get_and_put(gw, tmp_path):
    data = os.urandom(500_000)
    with open(gw.path("resume.bin"), "wb") as f:
        f.write(data)
    out = tmp_path / "resume.bin"
    out.write_bytes(data[:123_456])
    r = lftp(gw, [f"get -c resume.bin -o {out}"], mode="explicit")
    assert r.returncode == 0, r.stderr.decode()
    assert out.read_bytes() == data
    # put -c: REST n + STOR.
    with open(gw.path("resume-up.bin"), "wb") as f:
        f.write(data[:200_000])
    src = tmp_path / "full.bin"
    src.write_bytes(data)
    r = lftp(gw, [f"put -c {src} -o resume-up.bin"], mode="plain")
    assert r.returncode == 0, r.stderr.decode()
    assert open(gw.path("resume-up.bin"), "rb").read() == data


def test_active_mode(gw, tmp_path):
    out = tmp_path / "r.bin"
    r = lftp(gw, ["set ftp:passive-mode off", f"get pub/random.bin -o {out}"], mode="explicit")
    assert r.returncode == 0, r.stderr.decode()
    assert out.read_bytes() == open(gw.path("pub", "random.bin"), "rb").read()


def test_abort_with_telnet_synch(gw):
    with open(gw.path("big-lftp.bin"), "wb") as f:
        f.write(os.urandom(20_000_000))
    # cat | head closes the pipe early: lftp sends IAC IP, IAC DM, ABOR; then the session goes on.
    r = lftp(gw, ["cat big-lftp.bin | head -c 100000 >/dev/null", "ls pub"], mode="plain")
    assert b"random.bin" in r.stdout, (r.stdout, r.stderr)


def test_ccc(gw, tmp_path):
    out = tmp_path / "r.bin"
    r = lftp(gw, ["set ftp:ssl-use-ccc yes", "ls pub", f"get pub/random.bin -o {out}", "pwd"], mode="explicit")
    assert r.returncode == 0, r.stderr.decode()
    assert out.read_bytes() == open(gw.path("pub", "random.bin"), "rb").read()
