"""Fixtures for the deployment tests: the gateway's image, built once per run with podman on
the local debootstrap base (deploy/docker/build-image.sh), and helpers to run podman.

Every test here is skipped, with the reason, where podman is missing or GW_SKIP_CONTAINERS=1."""
import os
import shutil
import subprocess
import sys
import time

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from ports import free_port, free_range  # noqa: E402,F401  (the tests import them from here)

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
