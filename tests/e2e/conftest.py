"""End-to-end fixtures: the real bridge and ftp-front binaries on loopback ports, a demo
file:// filestore in a temporary directory, and a self-signed certificate."""
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from ports import free_port, free_range  # noqa: E402,F401  (the tests import them from here)

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.environ.get("GW_BIN_DIR", os.path.join(ROOT, "build", "release"))
PASSWORD = "demo-secret"


def wait_port(port, timeout=20, proc=None):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"the process for port {port} exited ({proc.returncode})")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"port {port} did not open")


class Gateway:
    def __init__(self, tmp, extra_ftp_args=(), pasv_base=None, extra_bridge_args=(), routes_extra=""):
        self.tmp = tmp
        self.bridge_args = list(extra_bridge_args)
        self.root = os.path.join(tmp, "filestore")
        os.makedirs(os.path.join(self.root, "pub"))
        with open(os.path.join(self.root, "hello.txt"), "w") as f:
            f.write("hello\nworld\n")
        with open(os.path.join(self.root, "pub", "random.bin"), "wb") as f:
            f.write(os.urandom(300_000))
        self.cert = os.path.join(tmp, "server.crt")
        self.key = os.path.join(tmp, "server.key")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                        "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
                        "-keyout", self.key, "-out", self.cert], check=True, capture_output=True)
        hashed = subprocess.run([os.path.join(BIN, "bridge", "bridge"), "hash-password"],
                                input=PASSWORD + "\n", capture_output=True, text=True, check=True).stdout.strip()
        self.routes = os.path.join(tmp, "routes.yaml")
        with open(self.routes, "w") as f:
            f.write(f"""routes:
  - name: demo
    hosts: [demo]
    users: [demo]
    destination: file://{self.root}
    accounts:
      demo: "{hashed}"
""" + routes_extra)
        base = pasv_base or free_range(50)
        self.pasv = f"{base}-{base + 49}"
        self.logs = {}
        self.procs = {}
        self.ftp_args = list(extra_ftp_args)
        # A port found free can be taken by another socket before the process binds it
        # (an outgoing connection's ephemeral port): then start again on new ports.
        for attempt in range(3):
            self.bridge_port = free_port()
            self.bridge_metrics_port = free_port()
            self.ftp_metrics_port = free_port()
            self.ftp_grpc_port = free_port()
            self.ftp_port = free_port()
            self.ftps_port = free_port()
            try:
                self.start_bridge()
                self.start_ftp()
                break
            except RuntimeError:
                if attempt == 2 or all(p.poll() is None for p in self.procs.values()):
                    raise
                self.stop()

    def _spawn(self, name, args):
        log = open(os.path.join(self.tmp, name + ".log"), "ab")
        self.logs[name] = os.path.join(self.tmp, name + ".log")
        self.procs[name] = subprocess.Popen(args, stdout=log, stderr=log)

    def start_bridge(self):
        self._spawn("bridge", [os.path.join(BIN, "bridge", "bridge"), "--listen", f"127.0.0.1:{self.bridge_port}",
                               "--routes", self.routes, "--metrics_listen", f"127.0.0.1:{self.bridge_metrics_port}",
                               "--ftp_front", f"127.0.0.1:{self.ftp_grpc_port}", *self.bridge_args])
        wait_port(self.bridge_port, proc=self.procs["bridge"])

    def start_ftp(self):
        self._spawn("ftp-front", [os.path.join(BIN, "ftp-front", "ftp-front"),
                                  "--listen", f"127.0.0.1:{self.ftp_port}",
                                  "--implicit_listen", f"127.0.0.1:{self.ftps_port}",
                                  "--bridge", f"127.0.0.1:{self.bridge_port}",
                                  "--grpc_listen", f"127.0.0.1:{self.ftp_grpc_port}",
                                  "--metrics_listen", f"127.0.0.1:{self.ftp_metrics_port}", "--pasv_ports", self.pasv,
                                  "--tls_cert", self.cert, "--tls_key", self.key,
                                  "--login_failure_delay_ms=50", *self.ftp_args])
        wait_port(self.ftp_port, proc=self.procs["ftp-front"])
        wait_port(self.ftps_port, proc=self.procs["ftp-front"])

    def path(self, *parts):
        return os.path.join(self.root, *parts)

    def log_text(self, name):
        with open(self.logs[name], "rb") as f:
            return f.read().decode(errors="replace")

    def alive(self):
        return all(p.poll() is None for p in self.procs.values())

    def stop(self):
        for p in self.procs.values():
            if p.poll() is None:
                p.terminate()
        for p in self.procs.values():
            try:
                p.wait(timeout=5)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()

    def url(self, path="/", scheme="ftp", user="demo", password=PASSWORD):
        port = self.ftps_port if scheme == "ftps" else self.ftp_port
        return f"{scheme}://{user}:{password}@127.0.0.1:{port}{path}"


@pytest.fixture(scope="module")
def gw(tmp_path_factory):
    g = Gateway(str(tmp_path_factory.mktemp("gw")))
    yield g
    g.stop()
    # Every test module ends with both processes still running: nothing crashed.
    assert all(p.returncode in (0, -15) for p in g.procs.values()), {n: p.returncode for n, p in g.procs.items()}


def curl(*args, check=True, timeout=60):
    r = subprocess.run(["curl", "-sS", "--max-time", str(timeout), *args], capture_output=True, timeout=timeout + 10)
    if check and r.returncode != 0:
        raise AssertionError(f"curl {' '.join(args)} failed ({r.returncode}): {r.stderr.decode()}")
    return r


def lftp(gw, commands, mode="plain", timeout=60):
    settings = ["set ssl:verify-certificate no", "set net:max-retries 1", "set net:timeout 10",
                "set cmd:fail-exit yes"]
    if mode == "plain":
        settings.append("set ftp:ssl-allow no")
        url = f"ftp://127.0.0.1:{gw.ftp_port}"
    elif mode == "explicit":
        settings += ["set ftp:ssl-force yes", "set ftp:ssl-protect-data yes"]
        url = f"ftp://127.0.0.1:{gw.ftp_port}"
    elif mode == "implicit":
        settings += ["set ftp:ssl-protect-data yes"]
        url = f"ftps://127.0.0.1:{gw.ftps_port}"
    else:
        raise ValueError(mode)
    script = "; ".join(settings + [f"open -u demo,{PASSWORD} {url}"] + list(commands))
    return subprocess.run(["lftp", "-c", script], capture_output=True, timeout=timeout)
