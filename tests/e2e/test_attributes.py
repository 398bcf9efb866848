"""Setting a file's modification time and permission bits: MFMT, SITE UTIME and SITE CHMOD,
driven by lftp (mirror -R keeping times, chmod) and Python ftplib, on the gateway's file://
filestore and through the FTP-to-FTP relay to pyftpdlib, proftpd and vsftpd."""
import ftplib
import io
import os
import shutil
import stat
import subprocess

import pytest

from conftest import PASSWORD, Gateway, lftp
from peers import PASSWORD as FAR_PASSWORD, USER as FAR_USER, peers  # noqa: F401 (fixture)

JAN_2001 = 978310861  # 2001-01-01T01:01:01Z
JAN_2001_TEXT = "20010101010101"


def login(gw):
    f = ftplib.FTP()
    f.connect("127.0.0.1", gw.ftp_port, timeout=20)
    f.login("demo", PASSWORD)
    return f


def put(path, data=b"x", mode=0o644, mtime=None):
    with open(path, "wb") as fh:
        fh.write(data)
    os.chmod(path, mode)
    if mtime is not None:
        os.utime(path, (mtime, mtime))


def error_of(f, cmd):
    with pytest.raises(ftplib.Error) as e:
        f.sendcmd(cmd)
    return str(e.value)


def test_feat_help_and_site_help_name_the_commands(gw):
    f = login(gw)
    try:
        assert "\n MFMT" in f.sendcmd("FEAT")
        assert f.sendcmd("HELP MFMT").startswith("214 MFMT")
        assert "MFMT" in f.sendcmd("HELP")
        r = lftp(gw, ["quote SITE HELP"])
        out = r.stdout.decode()
        assert "SITE CHMOD" in out and "SITE UTIME" in out, out
    finally:
        f.quit()


def test_ftplib_mfmt_and_site_chmod_on_the_filestore(gw):
    put(gw.path("attr.txt"), mode=0o644)
    f = login(gw)
    try:
        assert f.sendcmd(f"MFMT {JAN_2001_TEXT} attr.txt") == f"213 Modify={JAN_2001_TEXT}; attr.txt"
        assert int(os.stat(gw.path("attr.txt")).st_mtime) == JAN_2001
        assert f.sendcmd("MDTM attr.txt") == f"213 {JAN_2001_TEXT}"
        assert f.sendcmd("SITE CHMOD 600 attr.txt").startswith("200")
        assert stat.S_IMODE(os.stat(gw.path("attr.txt")).st_mode) == 0o600
        # A fraction of a second is accepted (the draft's time-val) and the reply is canonical.
        assert f.sendcmd(f"MFMT {JAN_2001_TEXT}.5 /attr.txt") == f"213 Modify={JAN_2001_TEXT}; /attr.txt"
        # Paths with spaces, relative to the current directory.
        f.mkd("sub dir")
        put(gw.path("sub dir", "a b.txt"))
        f.cwd("sub dir")
        assert f.sendcmd("MFMT 20200229120000 a b.txt").startswith("213 Modify=20200229120000;")
        assert int(os.stat(gw.path("sub dir", "a b.txt")).st_mtime) == 1582977600
        assert f.sendcmd("SITE CHMOD 0640 a b.txt").startswith("200")
        assert stat.S_IMODE(os.stat(gw.path("sub dir", "a b.txt")).st_mode) == 0o640
    finally:
        f.quit()


def test_site_utime_in_both_forms(gw):
    put(gw.path("utime.txt"))
    f = login(gw)
    try:
        assert f.sendcmd(f"SITE UTIME {JAN_2001_TEXT} utime.txt").startswith("200")
        assert int(os.stat(gw.path("utime.txt")).st_mtime) == JAN_2001
        # lftp's form: path atime mtime ctime UTC; the second time is the modification time.
        assert f.sendcmd("SITE UTIME utime.txt 20300101000000 20100101000000 20300101000000 UTC").startswith("200")
        assert int(os.stat(gw.path("utime.txt")).st_mtime) == 1262304000
        assert f.sendcmd("SITE UTIME utime.txt 20110101000000").startswith("200")
        assert int(os.stat(gw.path("utime.txt")).st_mtime) == 1293840000
    finally:
        f.quit()


def test_bad_arguments_and_refusals(gw):
    put(gw.path("keep.txt"), mode=0o644, mtime=JAN_2001)
    os.symlink("keep.txt", gw.path("link.txt"))
    outside = os.path.join(gw.tmp, "outside.txt")
    put(outside, mode=0o644, mtime=JAN_2001)
    os.symlink(outside, gw.path("escape.txt"))
    f = login(gw)
    try:
        for cmd in ("MFMT 2001 keep.txt", "MFMT 20010231000000 keep.txt", f"MFMT {JAN_2001_TEXT}",
                    "MFMT 2001010101010x keep.txt", "SITE CHMOD 9 keep.txt", "SITE CHMOD 644",
                    "SITE CHMOD 77777 keep.txt", "SITE UTIME keep.txt", "SITE UTIME 2001 keep.txt"):
            assert error_of(f, cmd).startswith("501"), cmd
        # set-id and sticky bits are not for FTP users of the filestore
        assert error_of(f, "SITE CHMOD 4755 keep.txt").startswith("501")
        assert error_of(f, f"MFMT {JAN_2001_TEXT} missing.txt").startswith("550")
        assert error_of(f, "SITE CHMOD 600 missing.txt").startswith("550")
        # Never through a symlink, inside the root or out of it.
        for link in ("link.txt", "escape.txt"):
            assert error_of(f, f"SITE CHMOD 600 {link}").startswith("550")
            assert error_of(f, f"MFMT 20200101000000 {link}").startswith("550")
        # Nor by climbing out of the root: ".." stops at the root, where no outside.txt is.
        for cmd in ("SITE CHMOD 600 ../outside.txt", "SITE CHMOD 600 /../../outside.txt",
                    "MFMT 20200101000000 ../outside.txt", "SITE UTIME 20200101000000 ../outside.txt"):
            assert error_of(f, cmd).startswith("550"), cmd
        for p in (gw.path("keep.txt"), outside):
            st = os.stat(p)
            assert stat.S_IMODE(st.st_mode) == 0o644 and int(st.st_mtime) == JAN_2001
        assert gw.tmp not in error_of(f, "SITE CHMOD 600 escape.txt")
    finally:
        f.quit()
    g = ftplib.FTP()
    g.connect("127.0.0.1", gw.ftp_port, timeout=20)
    try:
        assert error_of(g, "SITE CHMOD 600 keep.txt").startswith("530")
        assert error_of(g, f"MFMT {JAN_2001_TEXT} keep.txt").startswith("530")
    finally:
        g.close()


def test_lftp_mirror_reverse_keeps_modification_times(gw, tmp_path):
    src = tmp_path / "src"
    (src / "deep").mkdir(parents=True)
    times = {"a.txt": JAN_2001, "deep/b.bin": JAN_2001 + 86400 * 400}
    for name, t in times.items():
        put(str(src / name), data=os.urandom(1000), mtime=t)
    # lftp sets times with MFMT when FEAT offers it (SITE UTIME otherwise).
    r = lftp(gw, ["debug 5", f"mirror -R {src} mirror-times"])
    assert r.returncode == 0, r.stderr.decode()
    assert "---> MFMT 20010101010101 a.txt" in r.stderr.decode()
    for name, t in times.items():
        st = os.stat(gw.path("mirror-times", name))
        assert int(st.st_mtime) == t, (name, st.st_mtime)
    # A second mirror finds nothing newer and sends nothing.
    r = lftp(gw, ["debug 5", f"mirror -R {src} mirror-times"])
    assert r.returncode == 0, r.stderr.decode()
    assert "---> STOR" not in r.stderr.decode()


def test_lftp_chmod(gw):
    put(gw.path("lftp-chmod.txt"), mode=0o644)
    r = lftp(gw, ["chmod 600 lftp-chmod.txt"])
    assert r.returncode == 0, r.stderr.decode()
    assert stat.S_IMODE(os.stat(gw.path("lftp-chmod.txt")).st_mode) == 0o600
    r = lftp(gw, ["chmod 600 no-such-file.txt"])
    assert r.returncode != 0 and b"550" in r.stderr, r.stderr


# ---- through the relay to real servers ---------------------------------------------------

@pytest.fixture(scope="module")
def rgw(tmp_path_factory, peers):  # noqa: F811
    g = Gateway(str(tmp_path_factory.mktemp("attr-relay")), routes_extra=peers.routes_yaml())
    g.peers = peers
    yield g
    g.stop()
    assert all(p.returncode in (0, -15) for p in g.procs.values()), {n: p.returncode for n, p in g.procs.items()}


def relay_login(gw, server):
    f = ftplib.FTP()
    f.connect("127.0.0.1", gw.ftp_port, timeout=30)
    f.login(f"{FAR_USER}@{server.name}", FAR_PASSWORD)
    return f


@pytest.mark.parametrize("name", ["pyftpd", "proftpd"])
def test_mfmt_and_site_chmod_through_the_relay(rgw, name):
    server = rgw.peers.servers[name]
    f = relay_login(rgw, server)
    fname = f"attr-{name}.txt"
    try:
        f.storbinary(f"STOR {fname}", io.BytesIO(b"attributes\n"))
        reply = f.sendcmd(f"MFMT {JAN_2001_TEXT} {fname}")
        assert reply.startswith(f"213 Modify={JAN_2001_TEXT};"), reply
        assert int(os.stat(server.path(fname)).st_mtime) == JAN_2001
        assert f.sendcmd(f"MDTM {fname}") == f"213 {JAN_2001_TEXT}"
        assert f.sendcmd(f"SITE CHMOD 600 {fname}").startswith("200")
        assert stat.S_IMODE(os.stat(server.path(fname)).st_mode) == 0o600
        assert f.sendcmd(f"SITE UTIME {fname} 20300101000000 20100101000000 20300101000000 UTC").startswith("200")
        assert int(os.stat(server.path(fname)).st_mtime) == 1262304000
        # The far server's own refusal reaches the client.
        err = error_of(f, f"MFMT {JAN_2001_TEXT} missing-{name}.txt")
        assert err.startswith("550"), err
    finally:
        f.close()
        if os.path.exists(server.path(fname)):
            os.remove(server.path(fname))


@pytest.mark.parametrize("name", ["pyftpd", "proftpd"])
def test_lftp_mirror_and_chmod_through_the_relay(rgw, tmp_path, name):
    server = rgw.peers.servers[name]
    src = tmp_path / "src"
    src.mkdir()
    put(str(src / "m.txt"), data=b"mirrored\n", mtime=JAN_2001)
    target = f"mirror-relay-{name}"
    script = "; ".join(["set ftp:ssl-allow no", "set net:max-retries 1", "set net:timeout 10", "set cmd:fail-exit yes",
                        f"open -u {FAR_USER}@{name},{FAR_PASSWORD} ftp://127.0.0.1:{rgw.ftp_port}",
                        f"mirror -R {src} {target}", f"chmod 600 {target}/m.txt"])
    r = subprocess.run(["lftp", "-c", script], capture_output=True, timeout=60)
    try:
        assert r.returncode == 0, r.stderr.decode()
        st = os.stat(server.path(target, "m.txt"))
        assert int(st.st_mtime) == JAN_2001
        assert stat.S_IMODE(st.st_mode) == 0o600
    finally:
        shutil.rmtree(server.path(target), ignore_errors=True)


@pytest.mark.parametrize("name", ["vsftpd", "pure"])
def test_site_chmod_passes_through_to_every_server(rgw, name):
    # pyftpdlib and proftpd above; vsftpd and pure-ftpd take SITE CHMOD too (neither offers
    # MFMT), and the far server's own refusal of it reaches the client with its code.
    server = rgw.peers.servers[name]
    f = relay_login(rgw, server)
    fname = f"chmod-{name}.txt"
    try:
        f.storbinary(f"STOR {fname}", io.BytesIO(b"permissions\n"))
        os.chmod(server.path(fname), 0o644)
        assert f.sendcmd(f"SITE CHMOD 600 {fname}").startswith("200")
        assert stat.S_IMODE(os.stat(server.path(fname)).st_mode) == 0o600
        err = error_of(f, f"SITE CHMOD 600 missing-{name}.txt")
        assert err.startswith("550"), err
        assert "destination" not in err
    finally:
        f.close()
        if os.path.exists(server.path(fname)):
            os.remove(server.path(fname))


def test_lftp_mirror_to_a_server_without_mfmt(rgw, tmp_path):
    # vsftpd offers no MFMT: lftp's MFMT after each upload gets the gateway's 504, which lftp
    # ignores; the files arrive, chmod works, and the times are the upload's own.
    server = rgw.peers.servers["vsftpd"]
    src = tmp_path / "src"
    src.mkdir()
    put(str(src / "m.txt"), data=b"mirrored\n", mtime=JAN_2001)
    target = "mirror-relay-vsftpd"
    script = "; ".join(["set ftp:ssl-allow no", "set net:max-retries 1", "set net:timeout 10", "set cmd:fail-exit yes",
                        f"open -u {FAR_USER}@vsftpd,{FAR_PASSWORD} ftp://127.0.0.1:{rgw.ftp_port}", "debug 5",
                        f"mirror -R {src} {target}", f"chmod 600 {target}/m.txt"])
    r = subprocess.run(["lftp", "-c", script], capture_output=True, timeout=60)
    try:
        err = r.stderr.decode()
        assert r.returncode == 0, err
        assert "<--- 504 " in err and "does not offer MFMT" in err, err
        st = os.stat(server.path(target, "m.txt"))
        assert open(server.path(target, "m.txt"), "rb").read() == b"mirrored\n"
        assert stat.S_IMODE(st.st_mode) == 0o600 and int(st.st_mtime) != JAN_2001
    finally:
        shutil.rmtree(server.path(target), ignore_errors=True)


def test_a_server_without_mfmt_gets_an_honest_answer(rgw):
    server = rgw.peers.servers["vsftpd"]
    f = relay_login(rgw, server)
    try:
        feat = f.sendcmd("FEAT")  # ftp-front's own FEAT; the far one decides
        assert "MFMT" in feat
        root = server.data
        err = error_of(f, f"MFMT {JAN_2001_TEXT} {root}/anything.txt")
        assert err.startswith("504") and "does not offer MFMT" in err, err
    finally:
        f.close()
