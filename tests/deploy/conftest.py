"""Fixtures for the deployment tests: the gateway's image, built once per run with podman on
the local debootstrap base (deploy/docker/build-image.sh), and helpers to run podman.

Every test here is skipped, with the reason, where podman is missing or GW_SKIP_CONTAINERS=1."""
import os
import random
import shutil
import socket
import subprocess
import time

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BIN = os.environ.get("GW_BIN_DIR", os.path.join(ROOT, "build", "release"))
CONTAINERS_CONF = os.path.join(ROOT, "deploy", "docker", "containers.conf")
IMAGE = os.environ.get("GW_TEST_IMAGE", "localhost/ftp-ftam-gateway:test")


def podman_env():
    return dict(os.environ, CONTAINERS_CONF=os.environ.get("CONTAINERS_CONF", CONTAINERS_CONF))


def podman(*args, check=True, timeout=600):
    r = subprocess.run(["podman", *args], env=podman_env(), capture_output=True, text=True, timeout=timeout)
    if check and r.returncode != 0:
        raise AssertionError(f"podman {' '.join(args)} failed ({r.returncode}):\n{r.stdout}\n{r.stderr}")
    return r


def containers_available():
    if os.environ.get("GW_SKIP_CONTAINERS"):
        return "GW_SKIP_CONTAINERS is set"
    for tool in ("podman", "debootstrap"):
        if not shutil.which(tool):
            return f"{tool} is not installed (deploy/install-deps.sh test installs it)"
    if os.geteuid() != 0:
        return "the container tests run podman as root (debootstrap and published ports)"
    return None


def _ephemeral_range():
    try:
        with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
            lo, hi = (int(x) for x in f.read().split())
            return lo, hi
    except (OSError, ValueError):
        return 32768, 60999


# Ports are taken below the kernel's ephemeral range: a port picked there is free when checked,
# but any outgoing connection (podman's own, a probe) may be given it before a container
# publishes it. Below the range nothing takes a port unless asked for it. Ports handed out
# once are not handed out again in the same run.
_given = set()
_rng = random.Random()


def _bindable(port):
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
            return True
        except OSError:
            return False


def free_range(n):
    """n consecutive ports on 127.0.0.1, each free when checked, outside the ephemeral range."""
    eph_lo, eph_hi = _ephemeral_range()
    lo, hi = (10000, eph_lo - 1) if eph_lo - 10000 > 1000 else (eph_hi + 1, 65000)
    for _ in range(200):
        base = _rng.randrange(lo, hi - n)
        ports = range(base, base + n)
        if any(p in _given for p in ports) or not all(_bindable(p) for p in ports):
            continue
        _given.update(ports)
        return base
    raise RuntimeError("no free port range")


def free_port():
    return free_range(1)


@pytest.fixture(scope="session")
def image():
    why = containers_available()
    if why:
        pytest.skip(f"container tests skipped: {why}")
    t0 = time.monotonic()
    r = subprocess.run([os.path.join(ROOT, "deploy", "docker", "build-image.sh"), IMAGE], env=podman_env(),
                       capture_output=True, text=True, timeout=3000)
    took = time.monotonic() - t0
    print(r.stdout[-6000:])
    assert r.returncode == 0, f"image build failed:\n{r.stdout[-4000:]}\n{r.stderr[-4000:]}"
    return {"tag": IMAGE, "build_seconds": took, "output": r.stdout}
