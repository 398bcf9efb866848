"""--help of every binary: clean usage text with one program-name prefix, and flag groups
named by project-relative source files, never by a path of the build machine."""
import os
import re
import subprocess

import pytest

from conftest import BIN, ROOT

BINARIES = {"bridge": "bridge/bridge", "xfer": "bridge/xfer", "ftp-front": "ftp-front/ftp-front",
            "ftam-front": "ftam-front/ftam-front"}


def run(path, *args):
    r = subprocess.run([os.path.join(BIN, path), *args], capture_output=True, text=True, timeout=30)
    return r.stdout + r.stderr


@pytest.mark.parametrize("name", BINARIES)
def test_help_names_no_build_path_and_the_program_once(name):
    out = run(BINARIES[name], "--help")
    first = out.splitlines()[0]
    assert first.startswith(f"{name}: "), first
    assert f"{name}: {name}:" not in out
    assert out.count(first) == 1, out
    for text in (out, run(BINARIES[name], "--helpfull") ):
        for d in {ROOT, os.path.realpath(ROOT), os.path.realpath(BIN), "/work/"}:
            assert d not in text
        sources = re.findall(r"Flags from (\S+):", text)
        for s in sources:
            assert not s.startswith(("/", "./", "../")), s
    if name != "ftam-front":  # its --help lists its commands and flags itself
        # The binary's own flags, grouped under its own source file.
        assert re.findall(r"Flags from (\S+):", out) == ["bridge/xfer/xfer.cpp" if name == "xfer" else os.path.dirname(BINARIES[name]) + "/main.cpp"]


def test_ftam_front_help_lists_every_limit():
    """An operator finds every limit of the responder role in --help, with its default, and
    in the README's table."""
    out = run(BINARIES["ftam-front"], "--help")
    readme = open(os.path.join(ROOT, "README.md")).read()
    for flag in ("max_associations", "max_associations_per_ip", "max_tpdu", "max_tsdu", "max_depth", "max_value",
                 "association_timeout", "idle_timeout", "data_timeout", "outbound_max_sessions",
                 "outbound_connect_timeout", "outbound_reply_timeout", "outbound_data_timeout"):
        assert re.search(rf"--{flag} \((?:[^()]|\([^()]*\))*\);\s+default: \d+;", out), flag
        assert f"`--{flag}`" in readme, flag
