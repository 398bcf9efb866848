"""Ports for the processes the tests start, shared by the e2e and deployment suites.

A port is taken from 10000-19999: below the kernel's ephemeral range (32768-60999 here), so
no outgoing connection can be given it between the check and the bind of the process that
was told to listen on it (a port picked by binding port 0 was, now and then), and apart from
the peer servers' fixed ports and passive ranges (2121-3999, 6121-7999, 22000-31999). A port
is free when checked, and handed out once per run."""
import random
import socket

LOW, HIGH = 10000, 20000
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
    """n consecutive ports on 127.0.0.1, each free when checked."""
    for _ in range(500):
        base = _rng.randrange(LOW, HIGH - n)
        ports = range(base, base + n)
        if any(p in _given for p in ports) or not all(_bindable(p) for p in ports):
            continue
        _given.update(ports)
        return base
    raise RuntimeError(f"no {n} free consecutive ports in {LOW}-{HIGH - 1}")


def free_port():
    return free_range(1)
