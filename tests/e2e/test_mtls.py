"""Between the processes: mutual TLS when certificate files are configured (as a Kubernetes
deployment does). The bridge refuses a front without a client certificate."""
import subprocess

import grpc

from conftest import Gateway, curl


def openssl(*args):
    subprocess.run(["openssl", *args], check=True, capture_output=True)


def make_pki(d):
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=test-ca",
            "-keyout", f"{d}/ca.key", "-out", f"{d}/ca.crt")
    for name, san in (("bridge", "IP:127.0.0.1,DNS:localhost"), ("front", "DNS:ftp-front")):
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", f"/CN={name}", "-keyout", f"{d}/{name}.key",
                "-out", f"{d}/{name}.csr")
        with open(f"{d}/{name}.ext", "w") as f:
            f.write(f"subjectAltName={san}\n")
        openssl("x509", "-req", "-in", f"{d}/{name}.csr", "-CA", f"{d}/ca.crt", "-CAkey", f"{d}/ca.key",
                "-CAcreateserial", "-days", "2", "-extfile", f"{d}/{name}.ext", "-out", f"{d}/{name}.crt")


def test_mutual_tls_between_front_and_bridge(tmp_path):
    pki = tmp_path / "pki"
    pki.mkdir()
    make_pki(pki)
    (tmp_path / "gw").mkdir()
    g = Gateway(str(tmp_path / "gw"),
                extra_bridge_args=["--grpc_cert", f"{pki}/bridge.crt", "--grpc_key", f"{pki}/bridge.key",
                                   "--grpc_ca", f"{pki}/ca.crt"],
                extra_ftp_args=["--bridge_cert", f"{pki}/front.crt", "--bridge_key", f"{pki}/front.key",
                                "--bridge_ca", f"{pki}/ca.crt"])
    try:
        # An FTP client goes through the front, which reaches the bridge over mutual TLS.
        assert "hello.txt" in curl("-l", g.url("/")).stdout.decode()
        # Without a client certificate the bridge does not talk at all.
        creds = grpc.ssl_channel_credentials(root_certificates=open(f"{pki}/ca.crt", "rb").read())
        ch = grpc.secure_channel(f"127.0.0.1:{g.bridge_port}", creds)
        ident = lambda b: b
        try:
            ch.unary_unary("/grpc.health.v1.Health/Check", request_serializer=ident,
                           response_deserializer=ident)(b"", timeout=5)
            refused = False
        except grpc.RpcError as e:
            refused = e.code() == grpc.StatusCode.UNAVAILABLE
        assert refused
        # Plaintext is refused too.
        try:
            grpc.insecure_channel(f"127.0.0.1:{g.bridge_port}").unary_unary(
                "/grpc.health.v1.Health/Check", request_serializer=ident,
                response_deserializer=ident)(b"", timeout=5)
            assert False, "plaintext accepted"
        except grpc.RpcError as e:
            assert e.code() == grpc.StatusCode.UNAVAILABLE
    finally:
        g.stop()
