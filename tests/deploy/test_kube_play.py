"""The `local` Kubernetes overlay's workloads run with `podman kube play` (through
deploy/k8s/podman-play.py, which adapts what podman 4.3.1 cannot read) on free ports: curl
(plain FTP, explicit and implicit FTPS, passive through the published range) lists, gets and
puts on the demo filestore byte-exact, xfer works through the bridge's published gRPC port
with the overlay's mutual TLS, the pods run as the manifests say (non-root, read-only root
filesystem), and `down` leaves nothing of the project behind."""
import os
import re
import shutil
import subprocess
import time
import uuid

import pytest

from conftest import BIN, ROOT, free_port, free_range, podman, podman_env

PLAY = os.path.join(ROOT, "deploy", "k8s", "podman-play.py")
SECRETS = os.path.join(ROOT, "deploy", "k8s", "overlays", "local", "secrets")
# What the bridge's init container seeds (deploy/k8s/base/bridge.yaml).
README = b"Welcome to the FTP-FTAM gateway demo filestore.\n"


class Play:
    def __init__(self, image):
        self.project = f"gwkube{uuid.uuid4().hex[:8]}"
        self.ftp, self.ftps, self.bridge, self.ftam = free_port(), free_port(), free_port(), free_port()
        lo = free_range(20)
        self.pasv = f"{lo}-{lo + 19}"
        self.image = image["tag"]

    def run(self, command, timeout=600):
        return subprocess.run(["/usr/bin/python3", PLAY, command, "--project", self.project, "--image", self.image,
                               "--ftp-port", str(self.ftp), "--ftps-port", str(self.ftps), "--ftam-port",
                               str(self.ftam), "--bridge-port", str(self.bridge), "--pasv-ports", self.pasv],
                              env=podman_env(), capture_output=True, text=True, timeout=timeout)

    def leftovers(self):
        out = [p for p in podman("pod", "ps", "--format", "{{.Name}}").stdout.split() if p.startswith(self.project)]
        out += [c for c in podman("ps", "-a", "--format", "{{.Names}}").stdout.split() if c.startswith(self.project)]
        out += [v for v in podman("volume", "ls", "--format", "{{.Name}}").stdout.split() if v.startswith(self.project)]
        out += [s for s in podman("secret", "ls", "--format", "{{.Name}}").stdout.split() if s.startswith(self.project)]
        out += [n for n in podman("network", "ls", "--format", "{{.Name}}").stdout.split() if n.startswith(self.project)]
        return out


def curl(*args, data=None, timeout=60):
    r = subprocess.run(["curl", "-sS", "--fail", "-m", str(timeout), *args], input=data, capture_output=True,
                       timeout=timeout + 10)
    assert r.returncode == 0, f"curl {' '.join(args)}: {r.returncode} {r.stderr.decode(errors='replace')}"
    return r.stdout


@pytest.fixture(scope="module")
def play(image):
    if not shutil.which("kubectl"):
        pytest.skip("kubectl is not installed (the overlay is rendered with kubectl kustomize)")
    p = Play(image)
    p.down = None
    r = p.run("up")
    try:
        assert r.returncode == 0, f"podman-play.py up failed:\n{r.stdout[-3000:]}\n{r.stderr[-3000:]}"
        deadline = time.monotonic() + 120
        while True:
            c = subprocess.run(["curl", "-sS", "-m", "5", f"ftp://demo:demo@127.0.0.1:{p.ftp}/README.txt"],
                               capture_output=True)
            if c.returncode == 0 and c.stdout == README:
                break
            if time.monotonic() > deadline:
                logs = "\n".join(podman("logs", "--tail", "20", f"{p.project}-{n}-pod-0-{n}", check=False).stderr
                                 for n in ("bridge", "ftp-front", "ftam-front"))
                raise AssertionError(f"the pods did not serve in 120 s: {c.stderr}\n{logs}")
            time.sleep(1)
        yield p
    finally:
        if p.down is None:
            p.run("down")


MODES = {
    "plain": lambda p, path: ["--ftp-pasv", f"ftp://demo:demo@127.0.0.1:{p.ftp}{path}"],
    "explicit-ftps": lambda p, path: ["--ssl-reqd", "-k", f"ftp://demo:demo@127.0.0.1:{p.ftp}{path}"],
    "implicit-ftps": lambda p, path: ["-k", f"ftps://demo:demo@127.0.0.1:{p.ftps}{path}"],
}


@pytest.mark.parametrize("mode", MODES)
def test_curl_through_the_played_pods(play, mode, tmp_path):
    url = MODES[mode]
    assert curl(*url(play, "/README.txt")) == README
    assert b"lines.txt" in curl(*url(play, "/pub/"))
    body = os.urandom(300_000)
    (tmp_path / "up.bin").write_bytes(body)
    curl("-T", str(tmp_path / "up.bin"), *url(play, f"/up-{mode}.bin"))
    assert curl(*url(play, f"/up-{mode}.bin")) == body
    lo, hi = map(int, play.pasv.split("-"))
    r = subprocess.run(["curl", "-sS", "-v", "-o", os.devnull, *url(play, "/README.txt")], capture_output=True,
                       text=True, timeout=60)
    ports = [int(x) for x in re.findall(r"Connecting to 127\.0\.0\.1 \(127\.0\.0\.1\) port (\d+)", r.stderr)]
    assert any(lo <= x <= hi for x in ports), r.stderr[-2000:]


def test_xfer_with_mutual_tls_through_the_bridge_port(play, tmp_path):
    # The bridge's gRPC port requires the overlay's client certificate (gateway-mtls).
    env = dict(os.environ, XFER_PASSWORD="demo")
    tls = [f"--bridge=127.0.0.1:{play.bridge}", f"--bridge_ca={SECRETS}/ca.crt", f"--bridge_cert={SECRETS}/tls.crt",
           f"--bridge_key={SECRETS}/tls.key"]
    xfer = os.path.join(BIN, "bridge", "xfer")
    body = os.urandom(123_457)
    (tmp_path / "x.bin").write_bytes(body)
    r = subprocess.run([xfer, *tls, "put", str(tmp_path / "x.bin"), "file://demo@/xfer.bin"], env=env,
                       capture_output=True, timeout=120)
    assert r.returncode == 0, r.stderr
    r = subprocess.run([xfer, *tls, "get", "file://demo@/xfer.bin", "-"], env=env, capture_output=True, timeout=120)
    assert r.returncode == 0 and r.stdout == body, r.stderr
    # Without a client certificate the bridge refuses the connection.
    r = subprocess.run([xfer, f"--bridge=127.0.0.1:{play.bridge}", f"--bridge_ca={SECRETS}/ca.crt", "ls",
                        "file://demo@/"], env=env, capture_output=True, timeout=120)
    assert r.returncode != 0


def test_pods_run_locked_down(play):
    for name in ("bridge", "ftp-front", "ftam-front"):
        ctr = f"{play.project}-{name}-pod-0-{name}"
        assert podman("exec", ctr, "id", "-u").stdout.strip() == "10001", name
        r = podman("exec", ctr, "touch", "/usr/local/bin/x", check=False)
        assert r.returncode != 0 and "Read-only file system" in r.stderr, (name, r.stderr)


def test_down_leaves_nothing_running(play):
    assert play.leftovers(), "the project's pods should exist before down"
    play.down = play.run("down")
    assert play.down.returncode == 0, play.down.stderr[-3000:]
    assert play.leftovers() == []
    r = subprocess.run(["curl", "-sS", "-m", "5", f"ftp://demo:demo@127.0.0.1:{play.ftp}/"], capture_output=True)
    assert r.returncode != 0
