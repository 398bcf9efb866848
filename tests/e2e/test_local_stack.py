"""deploy/local/up and down: two stacks with their own state directories and ports run side
by side; restarting or stopping one never touches the other."""
import os
import subprocess

from conftest import BIN, ROOT, curl, free_port


def stack_args(state):
    pasv = free_port()
    return ["--state-dir", str(state), "--ftp-port", str(free_port()), "--ftps-port", str(free_port()),
            "--bridge-port", str(free_port()), "--ftp-grpc-port", str(free_port()),
            "--bridge-metrics-port", str(free_port()), "--ftp-metrics-port", str(free_port()),
            "--ftam-port", str(free_port()), "--ftam-grpc-port", str(free_port()),
            "--ftam-metrics-port", str(free_port()),
            "--pasv-ports", f"{pasv}-{pasv}"]


def run(script, *args, **extra_env):
    env = dict(os.environ, GW_SKIP_BUILD="1", GW_BIN_DIR=BIN, **extra_env)
    return subprocess.run([os.path.join(ROOT, "deploy", "local", script), *args], capture_output=True, text=True,
                          env=env, timeout=120)


def pids(state):
    return {n: open(os.path.join(state, "run", n + ".pid")).read().strip() for n in ("bridge", "ftp-front", "ftam-front")}


def serving(args):
    port = args[args.index("--ftp-port") + 1]
    return curl(f"ftp://demo:demo@127.0.0.1:{port}/", check=False, timeout=10)


def test_two_stacks_side_by_side(tmp_path):
    a_dir, b_dir = tmp_path / "a", tmp_path / "b"
    a, b = stack_args(a_dir), stack_args(b_dir)
    try:
        for args in (a, b):
            r = run("up", "--detach", *args)
            assert r.returncode == 0, r.stdout + r.stderr
        b_pids = pids(b_dir)
        assert b"README.txt" in serving(a).stdout and b"README.txt" in serving(b).stdout
        # Starting A again restarts A only.
        a_pids = pids(a_dir)
        r = run("up", "--detach", *a)
        assert r.returncode == 0, r.stdout + r.stderr
        assert pids(a_dir) != a_pids and pids(b_dir) == b_pids
        for pid in a_pids.values():
            assert not os.path.exists(f"/proc/{pid}") or "zombie" in open(f"/proc/{pid}/status").read().lower()
        # down --state-dir A stops exactly A.
        r = run("down", "--state-dir", str(a_dir))
        assert r.returncode == 0 and "stopped ftp-front" in r.stdout and "stopped bridge" in r.stdout, r.stdout + r.stderr
        assert str(a_dir) in r.stdout
        assert serving(a).returncode == 7  # connection refused
        assert b"README.txt" in serving(b).stdout
        assert pids(b_dir) == b_pids and all(os.path.exists(f"/proc/{p}") for p in b_pids.values())
        # A stale pid file (a process of another program) is never killed.
        sleeper = subprocess.Popen(["sleep", "30"])
        os.makedirs(a_dir / "run", exist_ok=True)
        (a_dir / "run" / "bridge.pid").write_text(str(sleeper.pid))
        r = run("down", "--state-dir", str(a_dir))
        assert r.returncode == 0 and sleeper.poll() is None
        sleeper.kill()
        # GW_STATE_DIR names the stack as --state-dir does.
        r = run("down", GW_STATE_DIR=str(b_dir))
        assert r.returncode == 0 and "stopped ftp-front" in r.stdout and str(b_dir) in r.stdout, r.stdout + r.stderr
        assert serving(b).returncode == 7
    finally:
        run("down", "--state-dir", str(a_dir))
        run("down", "--state-dir", str(b_dir))
    assert serving(b).returncode == 7


def test_the_demo_login_reaches_the_demo_filestore_over_ftam(tmp_path):
    """An FTAM initiator (the benchmark's minimal one) with identity demo, password demo."""
    args = stack_args(tmp_path / "s")
    try:
        r = run("up", "--detach", *args)
        assert r.returncode == 0, r.stdout + r.stderr
        assert "FTAM (RFC 1006)" in r.stdout
        port = args[args.index("--ftam-port") + 1]
        client = os.path.join(BIN, "tests", "ftam-front", "ftam_bench_client")
        got = subprocess.run([client, f"127.0.0.1:{port}", "demo", "demo", "get", "pub/random.bin"],
                             capture_output=True, text=True, timeout=60)
        assert got.returncode == 0 and "get 65536 bytes" in got.stdout, got.stdout + got.stderr
        bad = subprocess.run([client, f"127.0.0.1:{port}", "demo", "wrong", "get", "pub/random.bin"],
                             capture_output=True, text=True, timeout=60)
        assert bad.returncode != 0
    finally:
        run("down", "--state-dir", str(tmp_path / "s"))


def test_ftp_clients_reach_ftam_responders_through_the_local_route(tmp_path):
    """The local-ftam route: SITE ftam://127.0.0.1:PORT/ names the stack's own ftam-front
    (its responder role, serving the demo filestore over FTAM); the FTP session then works on
    it through the initiator role: FTP -> bridge -> ftam-front -> FTAM -> ftam-front -> bridge."""
    import ftplib
    import io
    args = stack_args(tmp_path / "s")
    try:
        r = run("up", "--detach", *args)
        assert r.returncode == 0, r.stdout + r.stderr
        ftp_port = int(args[args.index("--ftp-port") + 1])
        ftam_port = args[args.index("--ftam-port") + 1]
        direct = curl(f"ftp://demo:demo@127.0.0.1:{ftp_port}/pub/random.bin").stdout
        f = ftplib.FTP()
        f.connect("127.0.0.1", ftp_port, timeout=30)
        assert f.sendcmd(f"SITE ftam://127.0.0.1:{ftam_port}/").startswith("200")
        f.login("demo", "demo")
        buf = io.BytesIO()
        f.retrbinary("RETR pub/random.bin", buf.write)
        assert buf.getvalue() == direct and len(direct) == 65536
        assert "README.txt" in f.nlst()
        f.quit()
    finally:
        run("down", "--state-dir", str(tmp_path / "s"))
