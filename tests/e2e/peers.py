"""Real FTP servers for the outbound leg: vsftpd, proftpd, pure-ftpd and pyftpdlib, installed
and started with the peers kit (../shared/peers) in a base directory of their own, on ports
away from the kit's defaults. Each serves user ftptest/ftptest from BASE/data/<server>."""
import os
import subprocess

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
KIT = os.environ.get("GW_PEERS_KIT", os.path.join(os.path.dirname(ROOT), "shared", "peers"))
BASE = os.environ.get("GW_E2E_PEERS_BASE", "/tmp/gw-e2e-peers")
# Installed binaries are shared with the FtpClient integration test's base.
INSTALL_BASE = os.environ.get("GW_PEERS_BASE", "/tmp/gw-ftp-client-peers")
USER = PASSWORD = "ftptest"


class Server:
    def __init__(self, name, port, implicit_port, data):
        self.name, self.port, self.implicit_port, self.data = name, port, implicit_port, data

    def path(self, *parts):
        return os.path.join(self.data, *parts)

    def __repr__(self):
        return self.name


class Peers:
    def __init__(self):
        # GW_E2E_PEERS_PORT_OFFSET / _PASV_OFFSET (with GW_E2E_PEERS_BASE) let two test runs on
        # one machine keep their servers apart.
        self.env = dict(os.environ, PORT_OFFSET=os.environ.get("GW_E2E_PEERS_PORT_OFFSET", "5000"),
                        PASV_OFFSET=os.environ.get("GW_E2E_PEERS_PASV_OFFSET", "-6000"),
                        SERVERS="vsftpd proftpd pure pyftpd",
                        PEERS_ROOT=os.path.join(INSTALL_BASE, "root"))
        self.cert = os.path.join(BASE, "certs", "server.crt")
        self.servers = {}

    def install(self):
        root = os.path.join(INSTALL_BASE, "root", "usr", "sbin")
        have = (os.path.exists("/usr/sbin/vsftpd") and os.access(os.path.join(root, "proftpd"), os.X_OK)
                and os.access(os.path.join(root, "pure-ftpd"), os.X_OK)
                and subprocess.run(["/usr/bin/python3", "-c", "import pyftpdlib, OpenSSL"]).returncode == 0)
        if not have:
            os.makedirs(INSTALL_BASE, exist_ok=True)
            r = subprocess.run([os.path.join(KIT, "install.sh"), "--base", INSTALL_BASE, "--no-npm"],
                               capture_output=True, timeout=1200)
            assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]

    def start(self):
        os.makedirs(BASE, exist_ok=True)
        self.stop()
        try:
            os.remove(os.path.join(BASE, "run", "ports.env"))
        except FileNotFoundError:
            pass
        r = subprocess.run([os.path.join(KIT, "start-servers.sh"), "--base", BASE], env=self.env,
                           capture_output=True, timeout=300)
        assert r.returncode == 0, r.stdout.decode()[-3000:] + r.stderr.decode()[-3000:]
        ports = {}
        with open(os.path.join(BASE, "run", "ports.env")) as f:
            for line in f:
                k, _, v = line.strip().partition("=")
                ports[k] = v
        data = os.path.join(BASE, "data")
        for name, var in (("vsftpd", "VSFTPD"), ("proftpd", "PROFTPD"), ("pure", "PURE"), ("pyftpd", "PYFTPD")):
            implicit = ports.get(var + "_IMPLICIT_PORT") if name != "pure" else None
            self.servers[name] = Server(name, int(ports[var + "_PORT"]), int(implicit) if implicit else None,
                                        os.path.join(data, name))

    def stop(self):
        subprocess.run([os.path.join(KIT, "stop-servers.sh"), "--base", BASE], env=self.env,
                       capture_output=True, timeout=60)

    def routes_yaml(self):
        """One route per server, named after it, reachable in each TLS mode it offers."""
        out = []
        for s in self.servers.values():
            ports = [s.port] + ([s.implicit_port] if s.implicit_port else [])
            schemes = ["ftp", "ftps"] + (["ftps-implicit"] if s.implicit_port else [])
            out.append(f"""  - name: {s.name}
    destination: ftp://127.0.0.1:{s.port}
    schemes: [{", ".join(schemes)}]
    ports: [{", ".join(map(str, ports))}]
    tls: {{ ca: {self.cert} }}
""")
        return "".join(out)


@pytest.fixture(scope="session")
def peers():
    if not os.path.exists(os.path.join(KIT, "start-servers.sh")):
        pytest.skip(f"peers kit not found at {KIT}")
    if os.geteuid() != 0:
        pytest.skip("the peers kit needs root")
    p = Peers()
    p.install()
    p.start()
    yield p
    p.stop()
