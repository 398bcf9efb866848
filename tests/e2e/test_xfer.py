"""xfer, the command-line client of the bridge's one-shot calls, against file://."""
import hashlib
import os
import subprocess

from conftest import BIN, PASSWORD


def xfer(gw, *args, password=PASSWORD, input_=None):
    env = dict(os.environ, XFER_PASSWORD=password, XFER_BRIDGE=f"127.0.0.1:{gw.bridge_port}")
    return subprocess.run([os.path.join(BIN, "bridge", "xfer"), *args], capture_output=True, env=env,
                          timeout=120, input=input_)


def test_put_get_ls_stat_mv_rm(gw, tmp_path):
    data = os.urandom(5_000_000)
    src = tmp_path / "src.bin"
    src.write_bytes(data)
    r = xfer(gw, "put", str(src), "file://demo@/xfer.bin")
    assert r.returncode == 0, r.stderr
    assert open(gw.path("xfer.bin"), "rb").read() == data
    out = tmp_path / "out.bin"
    r = xfer(gw, "get", "file://demo@/xfer.bin", str(out))
    assert r.returncode == 0, r.stderr
    assert hashlib.sha256(out.read_bytes()).digest() == hashlib.sha256(data).digest()
    assert not os.path.exists(str(out) + ".xfer-part")
    r = xfer(gw, "get", "--offset=1000", "file://demo@/xfer.bin", "-")
    assert r.returncode == 0 and r.stdout == data[1000:]
    r = xfer(gw, "ls", "file://demo@/")
    assert r.returncode == 0 and any(l.split()[-1] == "xfer.bin" and l.split()[1] == "5000000"
                                     for l in r.stdout.decode().splitlines()), r.stdout
    r = xfer(gw, "stat", "file://demo@/xfer.bin")
    assert r.returncode == 0 and b"size: 5000000" in r.stdout
    r = xfer(gw, "mv", "file://demo@/xfer.bin", "/xfer2.bin")
    assert r.returncode == 0 and os.path.exists(gw.path("xfer2.bin"))
    r = xfer(gw, "put", "--append", str(src), "file://demo@/xfer2.bin")
    assert r.returncode == 0 and os.path.getsize(gw.path("xfer2.bin")) == 2 * len(data)
    r = xfer(gw, "rm", "file://demo@/xfer2.bin")
    assert r.returncode == 0 and not os.path.exists(gw.path("xfer2.bin"))


def test_errors_are_clear_and_fail(gw, tmp_path):
    r = xfer(gw, "get", "file://demo@/missing.bin", str(tmp_path / "x"))
    assert r.returncode != 0 and b"/missing.bin" in r.stderr
    assert not os.path.exists(tmp_path / "x") and not os.path.exists(str(tmp_path / "x") + ".xfer-part")
    r = xfer(gw, "ls", "file://demo@/", password="wrong")
    assert r.returncode != 0 and b"login incorrect" in r.stderr
    r = xfer(gw, "ls", "ftp://demo@unknown.example/")
    assert r.returncode != 0 and r.stderr.startswith(b"xfer: ")
    # The password can come on standard input when not in the environment.
    env = dict(os.environ, XFER_BRIDGE=f"127.0.0.1:{gw.bridge_port}")
    env.pop("XFER_PASSWORD", None)
    r = subprocess.run([os.path.join(BIN, "bridge", "xfer"), "ls", "file://demo@/"], input=(PASSWORD + "\n").encode(),
                       capture_output=True, env=env, timeout=60)
    assert r.returncode == 0 and b"hello.txt" in r.stdout
