"""Soak test: ftp-front and one bridge on a file:// filestore under a long mixed load.

  /usr/bin/python3 tests/soak/soak.py [--sessions 1000] [--minutes 10] [--workers 48]

It keeps SESSIONS logged-in FTP sessions open for the whole run (the session limits are
raised by flags for this run only) while WORKERS threads take a random session each and do
one random thing with it: list a directory, read a small or a large file and compare every
byte, write a file and read it back, abort a download or an upload in flight, drop the
control connection (idle or in the middle of a transfer) and log in again, or quit and log
in again. Every outcome is checked as a client would see it.

It passes when
  - no action failed (an unexpected reply, a wrong byte, a refused login, a crash);
  - memory is flat: each process's RSS at the end of the load is within 10% of its RSS
    after the warm-up (the first fifth of the run, at most 2 minutes), sessions still open;
  - no file descriptor leaked: after every session has gone, each process holds no more
    descriptors than it did before the first one;
  - no temporary is left in the filestore, and no aborted upload left a file behind.
The report (one line per measure) goes to standard output; exit status 0 means it passed.
GW_BIN_DIR points at the build (default build/release)."""
import argparse
import collections
import ftplib
import hashlib
import io
import os
import random
import re
import resource
import socket
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "e2e"))
from conftest import PASSWORD, Gateway, free_range  # noqa: E402

TEMPORARY = re.compile(r"^\..*\.part-[0-9a-f]+$")


def status(pid, key):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return 0


def fds(pid):
    return len(os.listdir(f"/proc/{pid}/fd"))


class Failure(Exception):
    pass


def expect(cond, what):
    if not cond:
        raise Failure(what)


class Soak:
    def __init__(self, gw, args):
        self.gw = gw
        self.args = args
        self.rng = random.Random(args.seed)
        self.lock = threading.Lock()
        self.counts = collections.Counter()
        self.failures = []
        self.opened = 0
        self.small = {}
        self.large = {}
        os.makedirs(gw.path("files"))
        os.makedirs(gw.path("up"))
        for i in range(args.small_files):
            data = os.urandom(self.rng.randint(1, 64 * 1024))
            name = f"files/small-{i:03d}.bin"
            with open(gw.path(name), "wb") as f:
                f.write(data)
            self.small[name] = hashlib.sha256(data).hexdigest()
        for i in range(2):
            name = f"files/large-{i}.bin"
            h = hashlib.sha256()
            with open(gw.path(name), "wb") as f:
                for _ in range(args.large_mib):
                    block = os.urandom(1 << 20)
                    h.update(block)
                    f.write(block)
            self.large[name] = h.hexdigest()
        self.names = sorted(os.listdir(gw.path("files")))

    def login(self):
        f = ftplib.FTP()
        f.connect("127.0.0.1", self.gw.ftp_port, timeout=60)
        f.login("demo", PASSWORD)
        with self.lock:
            self.opened += 1
        return f

    # Each action gets a logged-in session and returns the session to keep (a new one
    # after it dropped or quit the old).

    def list_dir(self, f, n):
        names = sorted(os.path.basename(x) for x in f.nlst("/files"))
        expect(names == self.names, f"NLST /files gave {len(names)} names, not the {len(self.names)} there")
        facts = dict(f.mlsd("/files", facts=["type", "size"]))
        expect(set(facts) == set(self.names), "MLSD /files names differ from the filestore's")
        return f

    def read(self, f, name, want):
        h = hashlib.sha256()
        f.retrbinary("RETR /" + name, h.update, blocksize=1 << 16)
        expect(h.hexdigest() == want, f"RETR {name}: the bytes differ")

    def small_get(self, f, n):
        name = self.rng.choice(list(self.small))
        self.read(f, name, self.small[name])
        return f

    def large_get(self, f, n):
        name = self.rng.choice(list(self.large))
        self.read(f, name, self.large[name])
        return f

    def put(self, f, n):
        data = os.urandom(self.rng.randint(0, 256 * 1024))
        name = f"/up/put-{n}.bin"
        f.storbinary("STOR " + name, io.BytesIO(data), blocksize=1 << 16)
        got = bytearray()
        f.retrbinary("RETR " + name, got.extend)
        expect(bytes(got) == data, f"STOR then RETR {name}: the bytes differ")
        f.delete(name)
        return f

    def abort_get(self, f, n):
        conn = f.transfercmd("RETR /" + self.rng.choice(list(self.large)))
        conn.recv(1 << 16)
        resp = f.abort()  # ABOR with the urgent byte, data connection still open
        conn.close()
        expect(resp.startswith("426") or resp.startswith("226"), f"ABOR during RETR: {resp}")
        if resp.startswith("426"):
            second = f.voidresp()
            expect(second.startswith("226"), f"ABOR during RETR, second reply: {second}")
        expect(f.pwd() == "/", "PWD after ABOR")
        return f

    def abort_put(self, f, n):
        name = f"/up/aborted-{n}.bin"
        conn = f.transfercmd("STOR " + name)
        conn.sendall(os.urandom(256 * 1024))
        resp = f.abort()
        conn.close()
        expect(resp[:3] in ("426", "226"), f"ABOR during STOR: {resp}")
        if resp.startswith("426"):
            second = f.voidresp()
            expect(second.startswith("226"), f"ABOR during STOR, second reply: {second}")
        try:
            size = f.size(name)
            raise Failure(f"an aborted upload left {name} ({size} octets)")
        except ftplib.error_perm as e:
            expect(str(e).startswith("550"), f"SIZE of an aborted upload: {e}")
        return f

    def drop_idle(self, f, n):
        f.sock.close()  # no QUIT: the client vanishes
        return self.login()

    def drop_in_transfer(self, f, n):
        conn = f.transfercmd("RETR /" + self.rng.choice(list(self.large)))
        conn.recv(1 << 16)
        f.sock.close()
        conn.close()
        return self.login()

    def relogin(self, f, n):
        f.quit()
        return self.login()

    ACTIONS = [("list", "list_dir", 25), ("small_get", "small_get", 25), ("put", "put", 15),
               ("large_get", "large_get", 4), ("abort_get", "abort_get", 8), ("abort_put", "abort_put", 6),
               ("drop_idle", "drop_idle", 6), ("drop_in_transfer", "drop_in_transfer", 4), ("relogin", "relogin", 7)]

    def worker(self, pool, deadline, seq):
        kinds = [a for a in self.ACTIONS for _ in range(a[2])]
        while time.time() < deadline:
            slot = pool.get()
            kind, method, _ = self.rng.choice(kinds)
            n = next(seq)
            f = slot.f
            try:
                slot.f = getattr(self, method)(f, n)
                with self.lock:
                    self.counts[kind] += 1
            except Exception as e:  # noqa: BLE001 (every failure is counted and reported)
                with self.lock:
                    self.failures.append(f"{kind} #{n}: {type(e).__name__}: {e}")
                try:
                    f.sock.close()
                except Exception:  # noqa: BLE001
                    pass
                try:
                    slot.f = self.login()
                except Exception as e2:  # noqa: BLE001
                    with self.lock:
                        self.failures.append(f"login after a failure: {e2}")
                    slot.f = None
            pool.put(slot)


class _Slot:
    def __init__(self, f):
        self.f = f


class _Pool:
    """Sessions taken at random, each by one worker at a time."""

    def __init__(self, slots, rng):
        self.slots, self.rng = slots, rng
        self.cv = threading.Condition()

    def get(self):
        with self.cv:
            while not self.slots:
                self.cv.wait()
            i = self.rng.randrange(len(self.slots))
            self.slots[i], self.slots[-1] = self.slots[-1], self.slots[i]
            return self.slots.pop()

    def put(self, slot):
        with self.cv:
            if slot.f is not None:
                self.slots.append(slot)
            self.cv.notify()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sessions", type=int, default=1000)
    ap.add_argument("--minutes", type=float, default=10)
    ap.add_argument("--workers", type=int, default=48)
    ap.add_argument("--large-mib", type=int, default=32)
    ap.add_argument("--small-files", type=int, default=50)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--check-memory", action=argparse.BooleanOptionalAction, default=True,
                    help="hold RSS to 10%% growth after the warm-up (a short run reports it only)")
    args = ap.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    limit = str(args.sessions + 200)
    tmp = tempfile.mkdtemp(prefix="gw-soak-")
    base = free_range(500)
    gw = Gateway(tmp, extra_ftp_args=["--max_sessions", limit, "--max_sessions_per_ip", limit,
                                      "--pasv_ports", f"{base}-{base + 499}", "--log_level=warn"],
                 extra_bridge_args=["--max_sessions", limit, "--log_level=warn"])
    pids = {name: p.pid for name, p in gw.procs.items()}
    ok = True
    try:
        soak = Soak(gw, args)
        # The baseline: one session in and out, so what all sessions share already exists.
        soak.login().quit()
        time.sleep(1)
        fd_base = {name: fds(pid) for name, pid in pids.items()}
        t0 = time.time()
        slots = [_Slot(soak.login()) for _ in range(args.sessions)]
        print(f"soak: {args.sessions} sessions logged in in {time.time() - t0:.1f} s; "
              f"{args.workers} workers for {args.minutes:g} min")
        pool = _Pool(list(slots), soak.rng)
        seq = iter(range(1, 1 << 62))
        start = time.time()
        deadline = start + args.minutes * 60
        warm = start + min(120, args.minutes * 60 / 5)
        threads = [threading.Thread(target=soak.worker, args=(pool, deadline, seq), daemon=True)
                   for _ in range(args.workers)]
        for t in threads:
            t.start()
        time.sleep(max(0, warm - time.time()))
        rss_warm = {name: status(pid, "VmRSS") for name, pid in pids.items()}
        for t in threads:
            t.join()
        # Every session is back in the pool; let the gateway settle, then measure.
        time.sleep(2)
        rss_end = {name: status(pid, "VmRSS") for name, pid in pids.items()}
        hwm = {name: status(pid, "VmHWM") for name, pid in pids.items()}
        live = [s.f for s in pool.slots if s.f is not None]
        for f in live:
            try:
                f.quit()
            except Exception as e:  # noqa: BLE001
                soak.failures.append(f"QUIT at the end: {e}")
        time.sleep(3)
        fd_end = {name: fds(pid) for name, pid in pids.items()}
        elapsed = time.time() - start

        total = sum(soak.counts.values())
        print(f"soak: {total} actions in {elapsed:.0f} s ({total / elapsed:.0f}/s), {soak.opened} sessions opened in all, "
              f"{len(live)} open at the end")
        print("soak: actions " + ", ".join(f"{k} {v}" for k, v in sorted(soak.counts.items())))
        print(f"soak: failed actions {len(soak.failures)}")
        for line in soak.failures[:20]:
            print("  " + line)
        ok &= not soak.failures and len(live) == args.sessions
        for name in pids:
            growth = rss_end[name] / rss_warm[name] - 1
            flat = growth <= 0.10
            ok &= flat or not args.check_memory
            print(f"soak: {name:9s} RSS after warm-up {rss_warm[name] / 1024:.1f} MiB, at the end {rss_end[name] / 1024:.1f} MiB "
                  f"({growth * 100:+.1f}%, {'flat' if flat else 'GREW'}), peak {hwm[name] / 1024:.1f} MiB")
        for name in pids:
            leak = fd_end[name] > fd_base[name]
            ok &= not leak
            print(f"soak: {name:9s} descriptors before the sessions {fd_base[name]}, after them {fd_end[name]}"
                  f"{' (LEAK)' if leak else ''}")
        left = []
        for d, _, files in os.walk(gw.root):
            left += [os.path.join(d, x) for x in files if TEMPORARY.match(x) or x.startswith("aborted-")]
        ok &= not left
        print(f"soak: temporaries and aborted uploads left in the filestore: {len(left)}"
              + "".join(f"\n  {x}" for x in left[:10]))
        alive = gw.alive()
        ok &= alive
        print(f"soak: processes alive at the end: {'yes' if alive else 'NO'}")
    finally:
        gw.stop()
    print("soak: " + ("passed" if ok else "FAILED") + f" (logs in {tmp})")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
