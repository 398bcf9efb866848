"""The soak test's short run (tests/soak/README.md): 200 sessions for one minute, mixing
listings, small and large transfers, aborts and dropped connections. No action may fail,
no descriptor may leak, and no temporary or aborted upload may be left in the filestore."""
import os
import subprocess
import sys

from conftest import BIN, ROOT


def test_soak_short():
    r = subprocess.run([sys.executable, os.path.join(ROOT, "tests", "soak", "soak.py"), "--sessions", "200",
                        "--minutes", "1", "--workers", "24", "--large-mib", "8", "--no-check-memory"],
                       capture_output=True, text=True, timeout=600, env={**os.environ, "GW_BIN_DIR": BIN})
    print(r.stdout, r.stderr)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "failed actions 0" in r.stdout
