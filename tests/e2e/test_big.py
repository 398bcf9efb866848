"""A 256 MiB file both ways through curl -> ftp-front -> bridge -> file://, byte-exact, with
the gateway's memory staying bounded (peak RSS of each process read from /proc)."""
import hashlib
import os

import pytest

from conftest import curl

SIZE = int(os.environ.get("GW_BIG_MB", "256")) * 1024 * 1024
RSS_LIMIT_MB = 200


def peak_rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


@pytest.fixture(scope="module")
def big_source(tmp_path_factory):
    path = tmp_path_factory.mktemp("big") / "big.bin"
    block = os.urandom(1 << 20)
    with open(path, "wb") as f:
        for i in range(SIZE >> 20):
            f.write(hashlib.sha256(block + i.to_bytes(4, "big")).digest() * 32768)
    return path


@pytest.mark.parametrize("mode", ["plain", "tls"])
def test_big_file_both_ways(gw, big_source, tmp_path, mode):
    opts = [] if mode == "plain" else ["--ssl-reqd", "-k"]
    want = sha256_file(big_source)
    name = f"/big-{mode}.bin"
    curl(*opts, "-T", str(big_source), gw.url(name), timeout=600)
    assert sha256_file(gw.path(name[1:])) == want
    out = tmp_path / "back.bin"
    curl(*opts, "-o", str(out), gw.url(name), timeout=600)
    assert sha256_file(out) == want
    for proc in ("ftp-front", "bridge"):
        rss = peak_rss_mb(gw.procs[proc].pid)
        print(f"{proc} peak RSS after {SIZE >> 20} MiB each way ({mode}): {rss:.1f} MB")
        assert rss < RSS_LIMIT_MB, f"{proc} peak RSS {rss:.1f} MB"
    os.unlink(gw.path(name[1:]))
