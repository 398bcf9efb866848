"""SITE after login, OPTS MLST fact selection and wildcards in LIST/NLST, driven by the
clients that send them: lftp (SITE, chmod, OPTS MLST), Python ftplib (mlsd facts), and the
classic clients' `mget *.txt` (inetutils-ftp, tnftp) and ncftpget."""
import ftplib
import os
import shutil
import subprocess

import pytest

from conftest import PASSWORD, lftp


def login(gw):
    f = ftplib.FTP()
    f.connect("127.0.0.1", gw.ftp_port, timeout=20)
    f.login("demo", PASSWORD)
    return f


def test_site_help_lists_the_site_commands(gw):
    r = lftp(gw, ["quote SITE HELP"])
    assert r.returncode == 0, r.stderr.decode()
    out = r.stdout.decode()
    assert "SITE IDLE" in out and "SITE HELP" in out


def test_site_idle_within_bounds(gw):
    f = login(gw)
    try:
        assert f.sendcmd("SITE IDLE 60").startswith("200")
        assert "60 seconds" in f.sendcmd("SITE IDLE")
        # The bounds themselves are accepted, one second beyond them is not.
        assert f.sendcmd("SITE IDLE 30").startswith("200 Idle timeout set to 30 seconds")
        assert f.sendcmd("SITE IDLE 7200").startswith("200 Idle timeout set to 7200 seconds")
        assert f.sendcmd("SITE IDLE 60").startswith("200")
        for bad in ("29", "7201", "5", "999999", "abc", "-60"):
            with pytest.raises(ftplib.error_perm) as e:
                f.sendcmd("SITE IDLE " + bad)
            assert str(e.value).startswith("501") and "SITE IDLE takes seconds from 30 to 7200" in str(e.value)
        assert "60 seconds" in f.sendcmd("SITE IDLE")  # a refused value leaves it alone
    finally:
        f.quit()


def test_lftp_site_idle(gw):
    # lftp (ftp:use-site-idle) sends SITE IDLE with its own net:idle after login; a value
    # out of bounds is refused and lftp goes on.
    r = lftp(gw, ["set ftp:use-site-idle yes", "set net:idle 90", "debug 5", "ls"])
    assert r.returncode == 0 and "<--- 200 Idle timeout set to 90 seconds." in r.stderr.decode(), r.stderr.decode()
    r = lftp(gw, ["set ftp:use-site-idle yes", "set net:idle 5", "debug 5", "ls"])
    err = r.stderr.decode()
    assert r.returncode == 0 and "<--- 501 SITE IDLE takes seconds from 30 to 7200." in err, err
    assert b"pub" in r.stdout


def test_site_idle_is_the_session_idle_timeout(tmp_path):
    # The configured idle timeout is 2 s; SITE IDLE 30 keeps the session open past it.
    from conftest import Gateway
    g = Gateway(str(tmp_path), extra_ftp_args=["--idle_timeout=2", "--max_idle_timeout=30"])
    try:
        f = login(g)
        assert f.sendcmd("SITE IDLE 30").startswith("200")
        import time
        time.sleep(3.5)
        assert f.sendcmd("NOOP").startswith("200")
        f2 = login(g)
        time.sleep(3.5)
        with pytest.raises((ftplib.error_temp, EOFError, ConnectionError)):
            f2.sendcmd("NOOP")  # 421 idle timeout, or the connection already closed
        f.quit()
    finally:
        g.stop()


def test_site_subcommands_get_an_honest_refusal_naming_them(gw):
    f = login(gw)
    try:
        for cmd, verb in (("SITE UMASK 022", "UMASK"), ("SITE SYMLINK a b", "SYMLINK")):
            with pytest.raises(ftplib.error_perm) as e:
                f.sendcmd(cmd)
            assert str(e.value).startswith("502") and f"SITE {verb}" in str(e.value)
            assert "destination" not in str(e.value)
        with pytest.raises(ftplib.error_perm) as e:
            f.sendcmd("SITE FROB 1 2")
        assert str(e.value).startswith("502") and "SITE FROB" in str(e.value)
        assert "destination" not in str(e.value)
        # Only a SITE that names a destination speaks of changing destination: a single word
        # that is no subcommand is a destination's name (RFC 1415 §4.1), and so is a DN.
        for site in ("SITE demo", 'SITE "@c=US@o=Example@cn=demo"'):
            with pytest.raises(ftplib.error_perm) as e:
                f.sendcmd(site)
            assert str(e.value).startswith("503") and "destination" in str(e.value) and "REIN" in str(e.value)
        # The commands that once got that answer after login now do what they say.
        assert f.sendcmd("SITE IDLE 60").startswith("200")
        assert f.sendcmd("SITE HELP").startswith("214")
    finally:
        f.quit()


def test_lftp_put_is_not_disturbed_by_site_or_mfmt(gw, tmp_path):
    src = tmp_path / "up.txt"
    src.write_bytes(b"lftp upload\n")
    r = lftp(gw, [f"put {src} -o lftp-up.txt"])
    assert r.returncode == 0, r.stderr.decode()
    assert open(gw.path("lftp-up.txt"), "rb").read() == b"lftp upload\n"


def test_opts_mlst_selects_the_facts(gw):
    with open(gw.path("facts.txt"), "w") as fh:
        fh.write("12345")
    f = login(gw)
    try:
        assert f.sendcmd("OPTS MLST type;size;") == "200 MLST OPTS type;size;"
        # ftplib's mlsd() asks for its facts with OPTS MLST itself.
        entries = dict(f.mlsd("/", facts=["type", "size"]))
        assert entries["facts.txt"] == {"type": "file", "size": "5"}
        mlst = f.sendcmd("MLST facts.txt")
        assert "type=file;size=5; " in mlst and "modify=" not in mlst and "perm=" not in mlst
        feat = f.sendcmd("FEAT")
        assert "type*;size*;modify;perm;UNIX.mode;" in feat
        assert f.sendcmd("OPTS MLST modify;Bogus;") == "200 MLST OPTS modify;"
        entries = dict(f.mlsd("/"))
        assert set(entries["facts.txt"]) == {"modify"}
        # Fact names are case-insensitive and answered in their own spelling, each once.
        assert f.sendcmd("OPTS MLST TYPE;Size;unix.MODE;type;") == "200 MLST OPTS type;size;UNIX.mode;"
        # No facts at all: MLST gives the bare name (RFC 3659 §7.9).
        assert f.sendcmd("OPTS MLST") == "200 MLST OPTS"
        assert f.sendcmd("MLST facts.txt").splitlines()[1] == "  /facts.txt"
        assert f.sendcmd("OPTS MLST type;size;modify;perm;UNIX.mode;").startswith("200 MLST OPTS type;size;modify;perm;UNIX.mode;")
    finally:
        f.quit()


def test_lftp_mlsd_after_opts_mlst(gw):
    # lftp sends OPTS MLST with the facts it wants and parses what comes back.
    with open(gw.path("lftp-facts.bin"), "wb") as fh:
        fh.write(b"0123456789")
    r = lftp(gw, ["cls -l --sort=name /"])
    assert r.returncode == 0, r.stderr.decode()
    line = next(l for l in r.stdout.decode().splitlines() if l.endswith("lftp-facts.bin"))
    assert " 10 " in line


@pytest.fixture
def globdir(gw):
    d = gw.path("glob")
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    for name, body in (("a.txt", b"A\n"), ("b.txt", b"BB\n"), ("c.bin", b"C"), ("a1.txt", b"A1\n"),
                       (".hidden.txt", b"H")):
        with open(os.path.join(d, name), "wb") as fh:
            fh.write(body)
    return d


def test_nlst_and_list_expand_wildcards_mlsd_does_not(gw, globdir):
    f = login(gw)
    try:
        assert sorted(f.nlst("glob/*.txt")) == ["glob/a.txt", "glob/a1.txt", "glob/b.txt"]
        assert sorted(f.nlst("glob/a?.txt")) == ["glob/a1.txt"]
        assert sorted(f.nlst("glob/[ab].txt")) == ["glob/a.txt", "glob/b.txt"]
        f.cwd("/glob")
        assert sorted(f.nlst("*.bin")) == ["c.bin"]
        lines = []
        f.retrlines("LIST *.txt", lines.append)
        assert sorted(l.split()[-1] for l in lines) == ["a.txt", "a1.txt", "b.txt"]
        with pytest.raises(ftplib.error_temp) as e:
            f.nlst("*.none")
        assert str(e.value).startswith("450")
        lines = []
        assert f.retrlines("LIST *.none", lines.append).startswith("226") and lines == []
        # MLSD takes a directory and MLST a path, never a pattern.
        with pytest.raises(ftplib.error_perm) as e:
            list(f.mlsd("*.txt"))
        assert str(e.value).startswith("550")
        for pattern in ("*.txt", "a?.txt", "[ab].txt"):
            with pytest.raises(ftplib.error_perm) as e:
                f.sendcmd("MLST " + pattern)
            assert str(e.value).startswith("550"), pattern
        # A name that holds a wildcard character is still reachable by MLST.
        with open(os.path.join(globdir, "[x].txt"), "wb") as fh:
            fh.write(b"X")
        assert "type=file;" in f.sendcmd("MLST [x].txt")
    finally:
        f.quit()


@pytest.mark.parametrize("client", ["inetutils-ftp", "tnftp"])
def test_classic_client_mget_wildcard(gw, globdir, client, tmp_path):
    if not shutil.which(client):
        pytest.skip(f"{client} is not installed (deploy/install-deps.sh test)")
    script = f"user demo {PASSWORD}\nbinary\ncd glob\nlcd {tmp_path}\nmget *.txt\nquit\n"
    r = subprocess.run([client, "-n", "-i", "-v", "-p", "127.0.0.1", str(gw.ftp_port)], input=script.encode(),
                       capture_output=True, timeout=60)
    assert sorted(os.listdir(tmp_path)) == ["a.txt", "a1.txt", "b.txt"], r.stdout.decode() + r.stderr.decode()
    assert (tmp_path / "b.txt").read_bytes() == b"BB\n"


def test_ncftpget_wildcard(gw, globdir, tmp_path):
    if not shutil.which("ncftpget"):
        pytest.skip("ncftp is not installed (deploy/install-deps.sh test)")
    r = subprocess.run(["ncftpget", "-u", "demo", "-p", PASSWORD, "-P", str(gw.ftp_port), "-F", "-t", "20",
                        "127.0.0.1", str(tmp_path), "/glob/a*.txt"], capture_output=True, timeout=60)
    assert r.returncode == 0, r.stdout.decode() + r.stderr.decode()
    assert sorted(os.listdir(tmp_path)) == ["a.txt", "a1.txt"]
