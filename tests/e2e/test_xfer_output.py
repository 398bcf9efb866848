"""What xfer prints for people and for scripts: ISO 8601 UTC times, a --json form with the
raw values, one "xfer: " prefix on errors and in --help."""
import datetime
import json
import os
import subprocess

from conftest import BIN
from test_xfer import xfer


def test_stat_prints_iso_8601_utc_and_json_keeps_the_raw_values(gw):
    path = gw.path("stamped.txt")
    with open(path, "w") as f:
        f.write("twelve bytes")
    os.utime(path, (1700000000, 1700000000))
    r = xfer(gw, "stat", "file://demo@/stamped.txt")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.decode().splitlines()
    assert "mtime: 2023-11-14T22:13:20Z" in lines and "size: 12" in lines and "type: file" in lines
    r = xfer(gw, "stat", "--json", "file://demo@/stamped.txt")
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc == {"name": "stamped.txt", "type": "file", "size": 12, "mtime": 1700000000,
                   "mode": os.stat(path).st_mode & 0o7777}
    assert datetime.datetime.fromtimestamp(doc["mtime"], datetime.timezone.utc).year == 2023
    r = xfer(gw, "ls", "--json", "file://demo@/")
    entries = {e["name"]: e for e in map(json.loads, r.stdout.decode().splitlines())}
    assert entries["stamped.txt"]["mtime"] == 1700000000 and entries["pub"]["type"] == "dir"


def test_one_prefix_in_errors_and_help(gw):
    for args in (["ls", "file://demo@/missing/"], ["frob", "x"], ["ls"]):
        r = xfer(gw, *args)
        err = r.stderr.decode()
        assert r.returncode != 0 and err.startswith("xfer: ") and not err.startswith("xfer: xfer"), err
    r = subprocess.run([os.path.join(BIN, "bridge", "xfer"), "--help"], capture_output=True, timeout=30)
    out = (r.stdout + r.stderr).decode()
    assert out.startswith("xfer: file transfers") and "xfer: xfer" not in out, out[:200]
    r = subprocess.run([os.path.join(BIN, "ftp-front", "ftp-front"), "--help"], capture_output=True, timeout=30)
    out = (r.stdout + r.stderr).decode()
    assert out.startswith("ftp-front: the gateway") and "ftp-front: ftp-front" not in out, out[:200]
