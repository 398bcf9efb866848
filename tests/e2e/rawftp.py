"""A raw FTP control connection for tests that need exact bytes and exact replies."""
import socket
import ssl


class Raw:
    def __init__(self, port, implicit=False, timeout=10):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        if implicit:
            self.tls()
        self.buf = b""

    def tls(self):
        self.ctx = ssl.create_default_context()
        self.ctx.check_hostname = False
        self.ctx.verify_mode = ssl.CERT_NONE
        self.sock = self.ctx.wrap_socket(self.sock, server_hostname="localhost")

    def send(self, data):
        if isinstance(data, str):
            data = data.encode()
        self.sock.sendall(data)

    def line(self):
        while b"\n" not in self.buf:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise EOFError("connection closed")
            self.buf += chunk
        line, self.buf = self.buf.split(b"\n", 1)
        return line.rstrip(b"\r").decode(errors="replace")

    def reply(self):
        """One reply (multi-line aware): (code, full text)."""
        first = self.line()
        code = first[:3]
        text = [first]
        if first[3:4] == "-":
            while True:
                l = self.line()
                text.append(l)
                if l.startswith(code + " "):
                    break
        return int(code), "\n".join(text)

    def cmd(self, data):
        self.send(data if isinstance(data, bytes) else (data + "\r\n").encode())
        return self.reply()

    def closed(self, timeout=5):
        """True if the server closes the connection (EOF or reset) within `timeout`."""
        self.sock.settimeout(timeout)
        try:
            while True:
                chunk = self.sock.recv(65536)
                if not chunk:
                    return True
        except (ConnectionResetError, ssl.SSLError, BrokenPipeError):
            return True
        except socket.timeout:
            return False
        except OSError:
            return True

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass
