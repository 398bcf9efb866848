"""The gateway's image, built from deploy/docker/Dockerfile with podman on a base made by
debootstrap: it holds the three services and xfer with every library they link, runs as a
non-root user, and carries no build tools and no private keys."""
import re

from conftest import podman


def run(image, script):
    return podman("run", "--rm", image["tag"], "bash", "-c", script).stdout


def test_image_builds_and_reports_size_and_packages(image):
    out = image["output"]
    print(f"image build took {image['build_seconds']:.0f} s")
    size = re.search(r"image size: (\d+) MiB", out)
    assert size, out[-2000:]
    packages = re.search(r"packages \((\d+)\):", out)
    assert packages and int(packages.group(1)) > 50, out[-2000:]
    # The runtime libraries the build stage found with ldd are installed.
    for pkg in ("libgrpc++1.51", "libprometheus-cpp-core1.0", "libpcap0.8", "libssl3"):
        assert re.search(rf"^  {re.escape(pkg)} ", out, re.M), f"{pkg} missing from the package list"


def test_image_runs_as_non_root_with_every_library(image):
    out = run(image, "id -u; id -un; ldd /usr/local/bin/bridge /usr/local/bin/ftp-front "
                     "/usr/local/bin/ftam-front /usr/local/bin/xfer")
    uid, name = out.splitlines()[:2]
    assert uid == "10001" and name == "gateway"
    assert "not found" not in out, out
    assert "file transfers through the gateway's bridge" in run(image, "xfer --help 2>&1 || true")


def test_image_has_no_build_tools_or_private_keys(image):
    tools = run(image, "for t in cc gcc g++ clang clang++ cmake ninja make ccache apt-get; do "
                       "command -v $t || true; done")
    # apt-get stays (Debian's base); compilers and build systems must not.
    assert tools.strip().splitlines() == ["/usr/bin/apt-get"], tools
    keys = run(image, "grep -rlI 'PRIVATE KEY' /etc /usr/local /var/lib/gateway 2>/dev/null || true")
    assert keys.strip() == "", keys
