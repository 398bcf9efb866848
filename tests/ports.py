"""Ports for the processes the tests start, shared by the e2e and deployment suites.

A port is taken from 10000-19999: below the kernel's ephemeral range (32768-60999 here), so
no outgoing connection can be given it between the check and the bind of the process that
was told to listen on it (a port picked by binding port 0 was, now and then), and apart from
the peer servers' fixed ports and passive ranges (2121-3999, 6121-7999, 22000-31999).

Ports are handed out in order from a random start (two runs on one machine start far
apart), each checked free when handed out; at the end of the window the walk wraps around.
Handing them out in order keeps the space unfragmented: a run hands out thousands of ports,
and picked at random they had left no 250 consecutive ones for a passive range.

A port is checked the way the servers bind it, with SO_REUSEADDR (ours, gRPC's and every peer
server's listeners set it): a port that a closed connection still holds in TIME_WAIT is free to
them. Checked without it, such ports looked taken, and after an e2e run had closed thousands of
connections they left no 500 consecutive ones for the soak test's passive range."""
import random
import socket

LOW, HIGH = 10000, 20000
_next = random.Random().randrange(LOW, HIGH)


def _bindable(port):
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
            return True
        except OSError:
            return False


def free_range(n):
    """n consecutive ports on 127.0.0.1, each free when checked; the whole window is walked
    once, from where the last range ended, before giving up."""
    global _next
    if not 0 < n <= HIGH - LOW:
        raise ValueError(f"cannot hand out {n} consecutive ports from {LOW}-{HIGH - 1}")
    walked = 0
    while walked < HIGH - LOW:
        if _next + n > HIGH:
            walked += HIGH - _next
            _next = LOW
        base = _next
        bad = next((p for p in range(base, base + n) if not _bindable(p)), None)
        if bad is None:
            _next = base + n
            return base
        walked += bad + 1 - base
        _next = bad + 1
    raise RuntimeError(f"no {n} free consecutive ports in {LOW}-{HIGH - 1}")


def free_port():
    return free_range(1)
