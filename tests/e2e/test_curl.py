"""curl against ftp-front -> bridge -> file://: plain FTP, explicit FTPS (curl sends AUTH SSL
first), implicit FTPS; passive and active."""
import hashlib
import os

import pytest

from conftest import curl

MODES = {
    "plain": ([], "ftp"),
    "explicit": (["--ssl-reqd", "-k"], "ftp"),
    "implicit": (["-k"], "ftps"),
}


@pytest.mark.parametrize("mode", MODES)
def test_list_nlst_mlsd(gw, mode):
    opts, scheme = MODES[mode]
    out = curl(*opts, gw.url("/", scheme)).stdout.decode()
    lines = out.splitlines()
    assert any(l.startswith("-") and l.endswith(" hello.txt") for l in lines), out
    assert any(l.startswith("d") and l.endswith(" pub") for l in lines), out
    names = curl(*opts, "-l", gw.url("/pub/", scheme)).stdout.decode().split()
    assert names == ["random.bin"]
    mlsd = curl(*opts, "-X", "MLSD", gw.url("/pub/", scheme)).stdout.decode()
    assert "type=file;size=300000;" in mlsd and mlsd.strip().endswith(" random.bin"), mlsd


@pytest.mark.parametrize("mode", MODES)
def test_retr_binary_and_text(gw, mode, tmp_path):
    opts, scheme = MODES[mode]
    out = tmp_path / "r.bin"
    curl(*opts, "-o", str(out), gw.url("/pub/random.bin", scheme))
    assert out.read_bytes() == open(gw.path("pub", "random.bin"), "rb").read()
    # TYPE A (;type=a): curl turns the wire's CRLF back into LF (the wire itself is checked
    # in test_ftplib.py).
    text = curl(*opts, gw.url("/hello.txt;type=a", scheme)).stdout
    assert text == b"hello\nworld\n"


@pytest.mark.parametrize("mode", MODES)
def test_stor_appe_and_resume(gw, mode, tmp_path):
    opts, scheme = MODES[mode]
    src = tmp_path / "up.bin"
    data = os.urandom(1_000_003)
    src.write_bytes(data)
    name = f"/up-{mode}.bin"
    curl(*opts, "-T", str(src), gw.url(name, scheme))
    assert open(gw.path(name[1:]), "rb").read() == data
    curl(*opts, "-T", str(src), "--append", gw.url(name, scheme))
    assert open(gw.path(name[1:]), "rb").read() == data + data
    # Download resume: REST 500000 then RETR.
    part = curl(*opts, "-C", "500000", gw.url(name, scheme)).stdout
    assert part == (data + data)[500000:]
    # Upload resume the curl way: SIZE then APPE of the rest.
    half = gw.path(f"half-{mode}.bin")
    with open(half, "wb") as f:
        f.write(data[:400000])
    curl(*opts, "-C", "-", "-T", str(src), gw.url(f"/half-{mode}.bin", scheme))
    assert open(half, "rb").read() == data
    # No temporary or partial files are left visible.
    assert not [n for n in os.listdir(gw.root) if ".part" in n]


@pytest.mark.parametrize("mode", MODES)
def test_file_management(gw, mode):
    opts, scheme = MODES[mode]
    d = f"dir-{mode}"
    curl(*opts, "-Q", f"MKD {d}", "-o", os.devnull, gw.url("/", scheme))
    assert os.path.isdir(gw.path(d))
    with open(gw.path(d, "a.txt"), "w") as f:
        f.write("x")
    curl(*opts, "-Q", f"RNFR {d}/a.txt", "-Q", f"RNTO {d}/b.txt", "-o", os.devnull, gw.url("/", scheme))
    assert os.path.exists(gw.path(d, "b.txt")) and not os.path.exists(gw.path(d, "a.txt"))
    # CWD into the directory, delete relative to it, CDUP, then RMD.
    curl(*opts, "-Q", f"CWD {d}", "-Q", "DELE b.txt", "-Q", "CDUP", "-Q", f"RMD {d}", "-o", os.devnull,
         gw.url("/", scheme))
    assert not os.path.exists(gw.path(d))


def test_size_mdtm_headers(gw):
    out = curl("-I", gw.url("/pub/random.bin")).stdout.decode()
    assert "Content-Length: 300000" in out
    assert "Last-Modified:" in out


def test_active_mode_eprt_and_port(gw, tmp_path):
    for extra in (["-P", "-"], ["-P", "-", "--disable-eprt"]):
        out = tmp_path / "a.bin"
        curl(*extra, "-o", str(out), gw.url("/pub/random.bin"))
        assert hashlib.sha256(out.read_bytes()).digest() == \
            hashlib.sha256(open(gw.path("pub", "random.bin"), "rb").read()).digest()


def test_pasv_instead_of_epsv(gw):
    names = curl("--disable-epsv", "-l", gw.url("/")).stdout.decode().split()
    assert "hello.txt" in names


def test_missing_file_is_550(gw):
    r = curl(gw.url("/no-such-file"), check=False)
    assert r.returncode == 78, r.stderr  # curl: remote file not found (550)


def test_wrong_password_is_530(gw):
    r = curl(gw.url("/", password="wrong"), check=False)
    assert r.returncode == 67, r.stderr  # curl: login denied


def test_abort_after_partial_read(gw):
    # curl closes the data connection after the range and sends ABOR: 426 then 226.
    r = curl("-v", "-r", "1000-200999", gw.url("/pub/random.bin"))
    assert len(r.stdout) == 200000
    assert r.stdout == open(gw.path("pub", "random.bin"), "rb").read()[1000:201000]
    # The session is still usable afterwards.
    assert "hello.txt" in curl("-l", gw.url("/")).stdout.decode()


@pytest.mark.parametrize("ccc_mode", ["passive", "active"])
def test_ccc(gw, ccc_mode):
    # CCC: the control connection goes back to plaintext, data stays protected. curl's
    # passive mode waits for the server's close_notify, active mode sends its own first.
    out = curl("--ssl-reqd", "-k", "--ftp-ssl-ccc", "--ftp-ssl-ccc-mode", ccc_mode, "-l", gw.url("/pub/"),
               timeout=30).stdout.decode().split()
    assert out == ["random.bin"]
