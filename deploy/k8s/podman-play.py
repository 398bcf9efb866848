#!/usr/bin/python3
"""Runs the `local` overlay's workloads with `podman kube play`, as a single-node cluster would.

    deploy/k8s/podman-play.py up   [--project gateway] [--image TAG] [--ftp-port 2121]
                                   [--ftps-port 2990] [--pasv-ports 40000-40019]
                                   [--ftam-port 1102] [--bridge-port 50051]
    deploy/k8s/podman-play.py down [--project gateway]
    deploy/k8s/podman-play.py render [...]   (writes the adapted YAML, runs nothing)

The manifests are the overlay's own (`kubectl kustomize deploy/k8s/overlays/local`). podman
4.3.1 (Debian 12) cannot read some of what a cluster reads, so this script adapts exactly
that and nothing else:

1. Secret volumes get `optional: false`: podman 4.3.1 dereferences the absent `optional`
   field and panics (nil pointer in kube.VolumeFromSecret).
2. Secrets carry their `data` values decoded: podman 4.3.1 writes each value into the
   mounted file byte for byte without decoding its base64 (and ignores `stringData`), so the
   certificates would not parse.
3. Services: kube play ignores them. A pod's Service names become its network aliases on a
   network of the project's own (with name service), so `bridge`, `ftp-front-grpc`... resolve
   as cluster DNS would resolve them; each Deployment is played on its own so that each gets
   its own aliases. The LoadBalancer Services' ports and the bridge's gRPC port become
   `hostPort`s on 127.0.0.1 (what a load balancer and `kubectl port-forward svc/bridge` give
   in a cluster); the passive range keeps the same numbers inside and out, as PASV replies
   name the container's ports (`--pasv-ports` renumbers it in the container too).
4. podman has no namespaces, and 4.3.1 turns every ConfigMap, Secret and emptyDir volume
   into a named volume called after it, shared machine-wide: Deployments, ConfigMaps, Secrets
   and pod volumes are prefixed with the project name, so that several projects run side by
   side, and `down` removes the project's volumes.

NetworkPolicies, HorizontalPodAutoscalers and the probes' effects are cluster features that
kube play does not implement; the pods run with the manifests' securityContext.
Run podman with the project's CONTAINERS_CONF (deploy/docker/containers.conf).
"""
import argparse
import base64
import copy
import os
import subprocess
import sys

import yaml

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
K8S = os.path.join(ROOT, "deploy", "k8s")


def render_overlay():
    subprocess.run([os.path.join(K8S, "make-local-secrets.sh")], check=True, stdout=subprocess.DEVNULL)
    out = subprocess.run(["kubectl", "kustomize", os.path.join(K8S, "overlays", "local")], check=True,
                         capture_output=True, text=True).stdout
    return [d for d in yaml.safe_load_all(out) if d]


def selects(selector, labels):
    return bool(selector) and all(labels.get(k) == v for k, v in selector.items())


def container_port(pod, target):
    """The (container, port entry) a Service's targetPort names."""
    for c in pod["containers"]:
        for p in c.get("ports", []):
            if target in (p.get("name"), p["containerPort"]):
                return c, p
    raise SystemExit(f"no container port {target}")


def adapt(objects, project, image, host_ports, pasv):
    """The overlay's objects as podman 4.3.1 can play them: {file name: [objects]} in play
    order, and the network aliases of each Deployment's file."""
    prefix = f"{project}-"
    secrets = [o for o in objects if o["kind"] == "Secret"]
    configmaps = [copy.deepcopy(o) for o in objects if o["kind"] == "ConfigMap"]
    services = [o for o in objects if o["kind"] == "Service"]
    renamed = {o["metadata"]["name"]: prefix + o["metadata"]["name"] for o in secrets + configmaps}
    files, aliases = {}, {}

    out = []
    for s in secrets:
        s = copy.deepcopy(s)
        s["metadata"]["name"] = renamed[s["metadata"]["name"]]
        # podman 4.3.1 checks that `data` is base64 when it plays a Secret, then writes each
        # value into the mounted file as it is, still encoded (and ignores `stringData`). So
        # the Secret is stored with `podman secret create` (as kube play would store it) with
        # its values decoded.
        s["data"] = {k: base64.b64decode(v).decode() for k, v in s.get("data", {}).items()}
        out.append(s)
    files["secrets.yaml"] = out
    for c in configmaps:
        c["metadata"]["name"] = renamed[c["metadata"]["name"]]

    for d in (o for o in objects if o["kind"] == "Deployment"):
        d = copy.deepcopy(d)
        name = d["metadata"]["name"]
        d["metadata"]["name"] = prefix + name
        d["spec"]["replicas"] = 1  # hostPorts: one pod of each on one machine
        pod = d["spec"]["template"]["spec"]
        labels = d["spec"]["template"]["metadata"]["labels"]
        # podman 4.3.1 makes named volumes called after each ConfigMap, Secret and emptyDir
        # volume, shared by every pod on the machine: all of them carry the project's prefix.
        volume_names = {}
        for v in pod.get("volumes", []):
            if "secret" in v:
                v["secret"]["secretName"] = renamed[v["secret"]["secretName"]]
                v["secret"].setdefault("optional", False)
            if "configMap" in v:
                v["configMap"]["name"] = renamed[v["configMap"]["name"]]
            volume_names[v["name"]] = v["name"] = prefix + v["name"]
        if pod.get("initContainers"):
            # podman 4.3.1 gives init containers the pod's restart policy: with Always (what a
            # Deployment requires) a finished init container is started again at once, and
            # kube play then fails to remove it ("cannot remove container ... as it is
            # running"). OnFailure runs it once; the services still restart when they fail.
            pod["restartPolicy"] = "OnFailure"
        for c in pod.get("initContainers", []) + pod["containers"]:
            c["image"] = image
            for m in c.get("volumeMounts", []):
                m["name"] = volume_names[m["name"]]
            for e in c.get("env", []):
                ref = e.get("valueFrom", {}).get("configMapKeyRef") or e.get("valueFrom", {}).get("secretKeyRef")
                if ref:
                    ref["name"] = renamed[ref["name"]]
        names = []
        for svc in services:
            if not selects(svc["spec"].get("selector"), labels):
                continue
            names.append(svc["metadata"]["name"])
            published = svc["spec"].get("type") == "LoadBalancer" or svc["metadata"]["name"] == "bridge"
            for sp in svc["spec"]["ports"] if published else []:
                c, p = container_port(pod, sp.get("targetPort", sp["port"]))
                p["hostIP"] = "127.0.0.1"
                p["hostPort"] = host_ports.get(p.get("name"), p["containerPort"])
        if pasv:
            renumber_pasv(pod, pasv)
        aliases[f"{name}.yaml"] = names
        files[f"{name}.yaml"] = configmaps + [d]
    return files, aliases


def renumber_pasv(pod, pasv):
    """Moves ftp-front's passive range (container ports, their hostPorts and --pasv_ports) to
    pasv = (lo, hi), keeping the same numbers inside and out."""
    lo, hi = pasv
    for c in pod["containers"]:
        if not any(a.startswith("--pasv_ports=") for a in c.get("args", [])):
            continue
        old = [p for p in c["ports"] if p.get("name", "").startswith("pasv-")]
        if len(old) != hi - lo + 1:
            raise SystemExit(f"--pasv-ports must name {len(old)} ports")
        for i, p in enumerate(old):
            p["containerPort"] = p["hostPort"] = lo + i
        c["args"] = [f"--pasv_ports={lo}-{hi}" if a.startswith("--pasv_ports=") else a for a in c["args"]]


def podman(*args, check=True):
    env = dict(os.environ)
    env.setdefault("CONTAINERS_CONF", os.path.join(ROOT, "deploy", "docker", "containers.conf"))
    r = subprocess.run(["podman", *args], env=env, capture_output=True, text=True)
    if check and r.returncode != 0:
        raise SystemExit(f"podman {' '.join(args)} failed:\n{r.stdout}{r.stderr}")
    return r


def state_dir(project):
    return os.path.join(ROOT, "build", "podman-play", project)


def write(files, directory):
    os.makedirs(directory, exist_ok=True)
    for name, docs in files.items():
        path = os.path.join(directory, name)
        with open(path, "w") as f:
            yaml.safe_dump_all(docs, f, sort_keys=False)
        os.chmod(path, 0o600)  # the Secrets' keys are in clear text here


def up(args, files, aliases):
    directory = state_dir(args.project)
    write(files, directory)
    network = f"{args.project}-net"
    if podman("network", "exists", network, check=False).returncode != 0:
        podman("network", "create", network)
    with open(os.path.join(directory, "secrets.yaml")) as f:
        for secret in yaml.safe_load_all(f):
            path = os.path.join(directory, secret["metadata"]["name"] + ".secret")
            with open(path, "w") as out:
                yaml.safe_dump(secret, out)
            os.chmod(path, 0o600)
            podman("secret", "create", secret["metadata"]["name"], path)
            os.remove(path)
    # The bridge first: the fronts connect to it at start.
    order = sorted(aliases, key=lambda n: n != "bridge.yaml")
    for name in order:
        net = f"{network}:" + ",".join(f"alias={a}" for a in aliases[name])
        podman("kube", "play", "--network", net, os.path.join(directory, name))
        print(f"played {name} (aliases {', '.join(aliases[name])})")


def down(args):
    directory = state_dir(args.project)
    if not os.path.isdir(directory):
        return
    for name in sorted(os.listdir(directory)):
        if name != "secrets.yaml" and name.endswith(".yaml"):
            podman("kube", "down", os.path.join(directory, name), check=False)
    with open(os.path.join(directory, "secrets.yaml")) as f:
        for s in yaml.safe_load_all(f):
            if s:
                podman("secret", "rm", s["metadata"]["name"], check=False)
    prefix = f"{args.project}-"
    for v in podman("volume", "ls", "--format", "{{.Name}}").stdout.split():
        if v.startswith(prefix):
            podman("volume", "rm", "-f", v, check=False)
    podman("network", "rm", "-f", f"{args.project}-net", check=False)
    for name in os.listdir(directory):
        os.remove(os.path.join(directory, name))
    os.rmdir(directory)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("command", choices=["up", "down", "render"])
    ap.add_argument("--project", default="gateway")
    ap.add_argument("--image", default=os.environ.get("GW_IMAGE", "localhost/ftp-ftam-gateway:latest"))
    ap.add_argument("--ftp-port", type=int, default=2121)
    ap.add_argument("--ftps-port", type=int, default=2990)
    ap.add_argument("--ftam-port", type=int, default=1102)
    ap.add_argument("--bridge-port", type=int, default=50051)
    ap.add_argument("--pasv-ports", default="")
    args = ap.parse_args()
    if args.command == "down":
        down(args)
        return
    pasv = tuple(map(int, args.pasv_ports.split("-"))) if args.pasv_ports else None
    # The bridge's gRPC port is the only "grpc" port published (for xfer), as the fronts'
    # gRPC Services are not LoadBalancers.
    host_ports = {"ftp": args.ftp_port, "ftps-implicit": args.ftps_port, "rfc1006": args.ftam_port,
                  "grpc": args.bridge_port}
    files, aliases = adapt(render_overlay(), args.project, args.image, host_ports, pasv)
    if args.command == "render":
        write(files, state_dir(args.project))
        print(state_dir(args.project))
        return
    up(args, files, aliases)


if __name__ == "__main__":
    sys.exit(main())
