"""Both gateway directions at once, against the peers kit's real FTP servers: a script's
`xfer ftam://` call goes bridge -> ftam-front (initiator) -> FTAM -> ftam-front (responder,
RFC 1415 §8.2) -> bridge -> ftp-front (client role) -> vsftpd, proftpd, pure-ftpd or
pyftpdlib, plain FTP and explicit FTPS. The FTAM initiator's identity names the FTP server
(`ftptest@vsftpd`, RFC 1415 §4.2); listings are NBS-9 built from the servers' MLSD/LIST.

And the FTAM-to-FTAM relay: ISODE's initiator (replayed from the captures) associates with
the gateway, whose route leads to another FTAM responder (a second stack), so every FTAM
exchange crosses the gateway's responder and initiator roles."""
import os
import shutil
import subprocess

import pytest

from conftest import BIN, PASSWORD, Gateway, free_port, wait_port
from peers import peers  # noqa: F401  (fixture)
from peers import PASSWORD as FTP_PASSWORD
from peers import USER as FTP_USER
from test_ftam_responder import CAPTURE_NAMES, REPLAY, USER as ISODE_USER, PASSWORD as ISODE_PASSWORD
from test_ftam_responder import capture_path

SERVERS = ["vsftpd", "proftpd", "pure", "pyftpd"]


def spawn_ftam(g, name, ftam_port, grpc_port, bridge_port):
    g._spawn(name, [os.path.join(BIN, "ftam-front", "ftam-front"), "--listen", f"127.0.0.1:{ftam_port}",
                    "--bridge", f"127.0.0.1:{bridge_port}", "--grpc_listen",
                    f"127.0.0.1:{grpc_port}" if grpc_port else "", "--metrics_listen", f"127.0.0.1:{free_port()}",
                    "--max_associations_per_ip=200"])
    wait_port(ftam_port, proc=g.procs[name])


@pytest.fixture(scope="module")
def chain(tmp_path_factory, peers):  # noqa: F811
    ftam_port, ftam_grpc = free_port(), free_port()
    tls_routes = "".join(f"""  - name: {s.name}-tls
    destination: ftps://127.0.0.1:{s.port}
    tls: {{ ca: {peers.cert} }}
""" for s in peers.servers.values())
    tls_routes += "".join(f"""  - name: {s.name}-implicit
    destination: ftps-implicit://127.0.0.1:{s.implicit_port}
    tls: {{ ca: {peers.cert} }}
""" for s in peers.servers.values() if s.implicit_port)
    isode_routes = "".join(f"""  - name: {s.name}-isode
    destination: ftp://127.0.0.1:{s.port}
""" for s in peers.servers.values())
    routes = peers.routes_yaml() + tls_routes + isode_routes + f"""  - name: osi-anywhere
    hosts: [127.0.0.1]
    destination: ftam://127.0.0.1:{ftam_port}
    schemes: [ftam]
    ports: ["1-65535"]
"""
    g = Gateway(str(tmp_path_factory.mktemp("ftam-chain")), extra_bridge_args=["--ftam_front", f"127.0.0.1:{ftam_grpc}"],
                routes_extra=routes)
    spawn_ftam(g, "ftam-front", ftam_port, ftam_grpc, g.bridge_port)
    g.ftam_port = ftam_port
    # The servers' data directories are shared with other modules: what this one adds goes.
    existing = {s.name: set(os.listdir(s.data)) for s in peers.servers.values()}
    yield g
    for s in peers.servers.values():
        for name in set(os.listdir(s.data)) - existing[s.name]:
            p = os.path.join(s.data, name)
            shutil.rmtree(p) if os.path.isdir(p) and not os.path.islink(p) else os.remove(p)
    g.stop()
    assert all(p.returncode in (0, -15) for p in g.procs.values()), {n: p.returncode for n, p in g.procs.items()}


def xfer(g, *args):
    env = dict(os.environ, XFER_PASSWORD=FTP_PASSWORD)
    return subprocess.run([os.path.join(BIN, "bridge", "xfer"), "--bridge", f"127.0.0.1:{g.bridge_port}", *args],
                          capture_output=True, env=env, timeout=120)


@pytest.mark.parametrize("mode", ["ftp", "ftps", "implicit"])
@pytest.mark.parametrize("server", SERVERS)
def test_ftam_to_real_ftp_servers(chain, peers, server, mode, tmp_path):  # noqa: F811
    s = peers.servers[server]
    if mode == "implicit" and not s.implicit_port:
        pytest.skip(f"{server} offers no implicit FTPS in the peers kit")
    dest = {"ftp": server, "ftps": f"{server}-tls", "implicit": f"{server}-implicit"}[mode]
    tls = mode != "ftp"
    base = f"ftam://{FTP_USER}@{dest}@127.0.0.1:{chain.ftam_port}"
    os.makedirs(s.path("chain"), exist_ok=True)
    st = os.stat(s.data)
    os.chown(s.path("chain"), st.st_uid, st.st_gid)  # the server writes as its own user
    payload = os.urandom(1_234_567)
    src = tmp_path / "src.bin"
    src.write_bytes(payload)
    name = f"chain/{server}-{mode}.bin"
    r = xfer(chain, "put", str(src), f"{base}/{name}")
    assert r.returncode == 0, r.stderr.decode() + chain.log_text("ftam-front")[-2000:]
    assert open(s.path(name), "rb").read() == payload
    r = xfer(chain, "ls", "--json", f"{base}/chain/")
    assert r.returncode == 0, r.stderr
    assert os.path.basename(name) in r.stdout.decode() and '"size":1234567' in r.stdout.decode().replace(" ", ""), r.stdout
    out = tmp_path / "back.bin"
    r = xfer(chain, "get", f"{base}/{name}", str(out))
    assert r.returncode == 0, r.stderr
    assert out.read_bytes() == payload
    r = xfer(chain, "mv", f"{base}/{name}", f"/{name}.moved")
    assert r.returncode == 0, r.stderr
    assert os.path.exists(s.path(name + ".moved"))
    r = xfer(chain, "rm", f"{base}/{name}.moved")
    assert r.returncode == 0, r.stderr
    assert not os.path.exists(s.path(name + ".moved"))
    # A missing file: the FTP server's refusal travels FTP -> FTAM diagnostic -> FTAM -> the script.
    r = xfer(chain, "get", f"{base}/chain/missing.bin", str(tmp_path / "m"))
    assert r.returncode != 0
    # Append (F-WRITE extend -> APPE) and a wrong password (the server's 530 -> F-INITIALIZE failure).
    r = xfer(chain, "put", str(src), f"{base}/{name}")
    assert r.returncode == 0, r.stderr
    r = xfer(chain, "put", "--append", str(src), f"{base}/{name}")
    assert r.returncode == 0, r.stderr
    assert open(s.path(name), "rb").read() == payload + payload
    os.remove(s.path(name))
    env = dict(os.environ, XFER_PASSWORD="wrong")
    r = subprocess.run([os.path.join(BIN, "bridge", "xfer"), "--bridge", f"127.0.0.1:{chain.bridge_port}", "ls",
                        f"{base}/"], capture_output=True, env=env, timeout=120)
    assert r.returncode != 0


@pytest.mark.parametrize("server", SERVERS)
@pytest.mark.parametrize("capture", [c for c in CAPTURE_NAMES if c.startswith("ftam-") and c not in
                                     ("ftam-abort", "ftam-login-badpass")])
def test_isode_initiator_on_real_ftp_servers(chain, peers, server, capture, tmp_path):  # noqa: F811
    """ISODE's initiator side of each capture, with its F-INITIALIZE re-encoded to log in as
    ftptest@SERVER, through the gateway's responder to the real FTP server: each exchange
    completes as it did against ISODE's responder, with the server's real sizes."""
    s = peers.servers[server]
    # The captures name files relative to the login directory: the server's data directory.
    top = s.data
    staged = str(tmp_path / "prepared")
    subprocess.run([REPLAY, "prepare", capture_path(capture), staged], check=True)
    st = os.stat(top)
    for dirpath, dirs, files in os.walk(staged):
        rel = os.path.relpath(dirpath, staged)
        dest_dir = os.path.normpath(os.path.join(top, rel))
        os.makedirs(dest_dir, exist_ok=True)
        os.chown(dest_dir, st.st_uid, st.st_gid)
        for f in files:
            dest = os.path.join(dest_dir, f)
            if os.path.isdir(dest):
                shutil.rmtree(dest)
            shutil.copyfile(os.path.join(dirpath, f), dest)
            os.chown(dest, st.st_uid, st.st_gid)
    for stale in ("new.txt", "up.bin", "up.txt"):  # what earlier runs of other captures wrote
        if stale not in os.listdir(staged) and os.path.isfile(os.path.join(top, stale)):
            os.remove(os.path.join(top, stale))
    before = {}
    for dirpath, _, files in os.walk(staged):
        for f in files:
            rel = os.path.relpath(os.path.join(dirpath, f), staged)
            before[rel] = open(os.path.join(top, rel), "rb").read()
    written = str(tmp_path / "written")
    r = subprocess.run([REPLAY, "run", capture_path(capture), f"127.0.0.1:{chain.ftam_port}", "--written", written,
                        "--timeout", "20", "--any-file-type", "--login", f"{FTP_USER}@{server}-isode:{FTP_PASSWORD}"],
                       capture_output=True, text=True, timeout=180)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:] + chain.log_text("ftam-front")[-2000:]
    if os.path.isdir(written):
        for dirpath, _, files in os.walk(written):
            for f in files:
                rel = os.path.relpath(os.path.join(dirpath, f), written)
                data = open(os.path.join(dirpath, f), "rb").read()
                stored = open(os.path.join(top, rel), "rb").read()
                if server == "vsftpd" and rel.endswith(".txt"):
                    # vsftpd stores TYPE A uploads as sent, CR LF and all (ascii_upload_enable=NO,
                    # its default): the same lines in the network form.
                    data = data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
                expected = before.get(rel, b"") + data if capture == "ftam-append" else data
                assert stored == expected, rel


@pytest.fixture(scope="module")
def relay(tmp_path_factory):
    """Two stacks: the gateway (bridge A, ftam-front A) routes ISODE's identity to an ftam://
    destination, the far FTAM system (bridge B, ftam-front B) serves it from file://."""
    if not os.path.exists(REPLAY):
        pytest.skip("ftam_replay is not built")
    tmp = str(tmp_path_factory.mktemp("ftam-relay"))
    far_root = os.path.join(tmp, "far-files")
    os.makedirs(far_root)
    hashed = subprocess.run([os.path.join(BIN, "bridge", "bridge"), "hash-password"], input=ISODE_PASSWORD + "\n",
                            capture_output=True, text=True, check=True).stdout.strip()
    far_ftam = free_port()
    far = Gateway(os.path.join(tmp, "far"), routes_extra=f"""  - name: isode-files
    users: [{ISODE_USER}]
    destination: file://{far_root}
    accounts:
      {ISODE_USER}: "{hashed}"
""")
    spawn_ftam(far, "ftam-front", far_ftam, None, far.bridge_port)
    near_ftam, near_grpc = free_port(), free_port()
    near = Gateway(os.path.join(tmp, "near"), extra_bridge_args=["--ftam_front", f"127.0.0.1:{near_grpc}"],
                   routes_extra=f"""  - name: far-ftam
    users: [{ISODE_USER}]
    destination: ftam://127.0.0.1:{far_ftam}
""")
    spawn_ftam(near, "ftam-front", near_ftam, near_grpc, near.bridge_port)
    near.ftam_port = near_ftam
    near.far_root = far_root
    yield near
    near.stop()
    far.stop()


@pytest.mark.parametrize("capture", [c for c in CAPTURE_NAMES if c.startswith("ftam-") and c != "ftam-abort"])
def test_isode_initiator_through_the_ftam_relay(relay, capture, tmp_path):
    for name in os.listdir(relay.far_root):
        subprocess.run(["rm", "-rf", os.path.join(relay.far_root, name)], check=True)
    subprocess.run([REPLAY, "prepare", capture_path(capture), relay.far_root], check=True)
    before = {}
    for dirpath, _, files in os.walk(relay.far_root):
        for f in files:
            before[os.path.relpath(os.path.join(dirpath, f), relay.far_root)] = open(os.path.join(dirpath, f), "rb").read()
    written = str(tmp_path / "written")
    r = subprocess.run([REPLAY, "run", capture_path(capture), f"127.0.0.1:{relay.ftam_port}", "--written", written,
                        "--timeout", "20", "--any-file-type"], capture_output=True, text=True, timeout=180)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:] + relay.log_text("ftam-front")[-3000:]
    if os.path.isdir(written):
        for dirpath, _, files in os.walk(written):
            for f in files:
                rel = os.path.relpath(os.path.join(dirpath, f), written)
                data = open(os.path.join(dirpath, f), "rb").read()
                stored = open(os.path.join(relay.far_root, rel), "rb").read()
                assert stored == (before.get(rel, b"") + data if capture == "ftam-append" else data), rel
