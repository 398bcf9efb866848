"""deploy/k8s: both overlays render with `kubectl kustomize`, every object validates against
the Kubernetes API schemas (npm kubernetes-models), the workloads carry what the cluster
needs (probes, graceful termination, a locked-down securityContext, a /metrics port), and the
rendered NetworkPolicies keep the protocol break: the bridge can reach nothing but the fronts
(and the cluster DNS), and only the fronts and script clients can reach its gRPC port."""
import json
import os
import shutil
import subprocess

import pytest
import yaml

from conftest import ROOT

K8S = os.path.join(ROOT, "deploy", "k8s")
MODELS = os.path.join(ROOT, "build", "k8s-validate")
FRONTS = ({"app.kubernetes.io/name": "ftp-front"}, {"app.kubernetes.io/name": "ftam-front"})
BRIDGE_CLIENTS = FRONTS + ({"ftp-ftam-gateway/bridge-client": "true"},)
KUBE_DNS = {"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "kube-system"}},
            "podSelector": {"matchLabels": {"k8s-app": "kube-dns"}}}


@pytest.fixture(scope="module", params=["local", "production"])
def rendered(request):
    if not shutil.which("kubectl"):
        pytest.skip("kubectl is not installed")
    subprocess.run([os.path.join(K8S, "make-local-secrets.sh")], check=True, capture_output=True)
    r = subprocess.run(["kubectl", "kustomize", os.path.join(K8S, "overlays", request.param)],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    return request.param, [d for d in yaml.safe_load_all(r.stdout) if d]


def test_every_object_validates_against_the_kubernetes_schemas(rendered):
    overlay, objects = rendered
    if not shutil.which("node") or not shutil.which("npm"):
        pytest.skip("node/npm are not installed")
    if not os.path.isdir(os.path.join(MODELS, "node_modules", "kubernetes-models")):
        os.makedirs(MODELS, exist_ok=True)
        subprocess.run(["npm", "install", "--prefix", MODELS, "--no-audit", "--no-fund", "--silent",
                        "kubernetes-models@5.1.0"], check=True, capture_output=True, timeout=300)
    # kustomize wraps Secret data in lines; the API server's base64 decoder skips line breaks,
    # the schema's "byte" format does not.
    objects = json.loads(json.dumps(objects))
    for o in objects:
        if o["kind"] == "Secret":
            o["data"] = {k: v.replace("\n", "") for k, v in o.get("data", {}).items()}
    r = subprocess.run(["node", os.path.join(os.path.dirname(__file__), "k8s_validate.mjs"), MODELS],
                       input=json.dumps(objects), capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.count("valid ") == len(objects)
    kinds = {o["kind"] for o in objects}
    assert {"Deployment", "Service", "ConfigMap", "NetworkPolicy", "HorizontalPodAutoscaler"} <= kinds
    if overlay == "production":
        assert "PodDisruptionBudget" in kinds
    else:
        assert "Secret" in kinds


def test_workloads_are_locked_down_and_drain(rendered):
    overlay, objects = rendered
    deployments = [o for o in objects if o["kind"] == "Deployment"]
    assert {d["metadata"]["name"] for d in deployments} == {"bridge", "ftp-front", "ftam-front"}
    for d in deployments:
        pod = d["spec"]["template"]["spec"]
        assert pod["securityContext"]["runAsNonRoot"] is True
        assert pod["terminationGracePeriodSeconds"] >= 30
        for c in pod.get("initContainers", []) + pod["containers"]:
            sc = c["securityContext"]
            assert sc["allowPrivilegeEscalation"] is False and sc["readOnlyRootFilesystem"] is True, c["name"]
            assert sc["capabilities"]["drop"] == ["ALL"] and "add" not in sc["capabilities"], c["name"]
        c = pod["containers"][0]
        assert c["readinessProbe"] and c["livenessProbe"] and c["lifecycle"]["preStop"], c["name"]
        assert any(p["name"] == "metrics" for p in c["ports"]), c["name"]
        if overlay == "production":
            assert d["spec"]["replicas"] >= 2 and c["resources"]["limits"], c["name"]


def selects(selector, labels):
    want = selector.get("matchLabels", {})
    return not selector.get("matchExpressions") and all(labels.get(k) == v for k, v in want.items())


def bridge_reach_problems(objects):
    """Every way a bridge pod could open a connection to something other than a front (or
    the cluster DNS), by the rendered NetworkPolicies. Empty means the break holds."""
    bridge = next(o for o in objects if o["kind"] == "Deployment" and o["metadata"]["name"] == "bridge")
    labels = bridge["spec"]["template"]["metadata"]["labels"]
    policies = [p for p in objects if p["kind"] == "NetworkPolicy" and selects(p["spec"]["podSelector"], labels)]
    problems = []
    if not any("Egress" in p["spec"].get("policyTypes", []) for p in policies):
        problems.append("no policy restricts the bridge's egress")
    for p in policies:
        for rule in p["spec"].get("egress", []):
            if not rule.get("to"):
                problems.append(f"{p['metadata']['name']}: an egress rule with no destination allows everything")
                continue
            for peer in rule["to"]:
                if peer == KUBE_DNS and all(x.get("port") == 53 for x in rule.get("ports", [{}])):
                    continue
                if set(peer) != {"podSelector"} or not any(peer["podSelector"].get("matchLabels") == f for f in FRONTS):
                    problems.append(f"{p['metadata']['name']}: the bridge may reach {peer}")
    return problems


def bridge_ingress_problems(objects):
    """Who may reach the bridge's gRPC port besides the fronts and labelled script clients."""
    bridge = next(o for o in objects if o["kind"] == "Deployment" and o["metadata"]["name"] == "bridge")
    labels = bridge["spec"]["template"]["metadata"]["labels"]
    problems = []
    for p in objects:
        if p["kind"] != "NetworkPolicy" or not selects(p["spec"]["podSelector"], labels):
            continue
        for rule in p["spec"].get("ingress", []):
            ports = {x.get("port") for x in rule.get("ports", [])}
            if ports and 50051 not in ports:
                continue
            for peer in rule.get("from") or [{"anything": True}]:
                if set(peer) != {"podSelector"} or peer["podSelector"].get("matchLabels") not in BRIDGE_CLIENTS:
                    problems.append(f"{p['metadata']['name']}: {peer} may reach the bridge's gRPC port")
    return problems


def test_the_bridge_reaches_only_the_fronts(rendered):
    _, objects = rendered
    assert bridge_reach_problems(objects) == []
    assert bridge_ingress_problems(objects) == []


def test_the_policy_check_catches_an_open_bridge(rendered):
    # The checks above must be able to fail: open the bridge's egress and ingress.
    _, objects = rendered
    opened = json.loads(json.dumps(objects))
    policy = next(o for o in opened if o["kind"] == "NetworkPolicy" and o["metadata"]["name"] == "bridge")
    policy["spec"]["egress"].append({"ports": [{"protocol": "TCP", "port": 21}]})
    policy["spec"]["egress"][0]["to"].append({"ipBlock": {"cidr": "0.0.0.0/0"}})
    policy["spec"]["ingress"][0]["from"].append({"namespaceSelector": {}})
    assert len(bridge_reach_problems(opened)) == 2
    assert len(bridge_ingress_problems(opened)) == 1
    deny = next(o for o in opened if o["kind"] == "NetworkPolicy" and o["metadata"]["name"] == "default-deny")
    deny["spec"]["egress"].append({"to": [{"namespaceSelector": {}}]})
    assert len(bridge_reach_problems(opened)) == 3


def deployment_by_labels(objects, selector):
    return next(o for o in objects if o["kind"] == "Deployment"
                and selects({"matchLabels": selector}, o["spec"]["template"]["metadata"]["labels"]))


def bridge_front_edges(objects):
    """The connections the bridge is configured to open (--ftp_front, --ftam_front): for each,
    the flag, the target pods' labels and the container port the Service leads to."""
    bridge = next(o for o in objects if o["kind"] == "Deployment" and o["metadata"]["name"] == "bridge")
    args = bridge["spec"]["template"]["spec"]["containers"][0]["args"]
    edges = []
    for flag in ("--ftp_front", "--ftam_front"):
        value = next((a.split("=", 1)[1] for a in args if a.startswith(flag + "=")), "")
        assert value, f"the bridge has no {flag}"
        host, port = value.removeprefix("dns:///").rsplit(":", 1)
        svc = next(o for o in objects if o["kind"] == "Service" and o["metadata"]["name"] == host)
        sp = next(p for p in svc["spec"]["ports"] if p["port"] == int(port))
        target = deployment_by_labels(objects, svc["spec"]["selector"])
        pod = target["spec"]["template"]["spec"]
        cport = next(p["containerPort"] for c in pod["containers"] for p in c.get("ports", [])
                     if sp.get("targetPort", sp["port"]) in (p.get("name"), p["containerPort"]))
        edges.append((flag, target["spec"]["template"]["metadata"]["labels"], cport))
    return edges


def policy_allows(objects, src, dst, port):
    """Whether the rendered NetworkPolicies let pods labelled src open a TCP connection to
    port on pods labelled dst: an egress rule of a policy selecting src and an ingress rule
    of a policy selecting dst must both allow it."""
    def rule_matches(rule, key, peer_labels):
        ports = rule.get("ports")
        if ports and not any(p.get("port") == port or (p.get("endPort") and p["port"] <= port <= p["endPort"])
                             for p in ports):
            return False
        peers = rule.get(key)
        return not peers or any(set(peer) == {"podSelector"} and selects(peer["podSelector"], peer_labels)
                                for peer in peers)

    policies = [p for p in objects if p["kind"] == "NetworkPolicy"]
    egress = any(rule_matches(r, "to", dst) for p in policies if selects(p["spec"]["podSelector"], src)
                 for r in p["spec"].get("egress", []))
    ingress = any(rule_matches(r, "from", src) for p in policies if selects(p["spec"]["podSelector"], dst)
                  for r in p["spec"].get("ingress", []))
    return egress and ingress


def test_the_bridge_may_reach_the_fronts_it_is_configured_for(rendered):
    # The bridge opens ftp/ftps legs on ftp-front's gRPC port and ftam:// legs on ftam-front's:
    # both edges must be open in the policies, and lead to the fronts.
    _, objects = rendered
    bridge = deployment_by_labels(objects, {"app.kubernetes.io/name": "bridge"})
    labels = bridge["spec"]["template"]["metadata"]["labels"]
    edges = bridge_front_edges(objects)
    assert [(f, l["app.kubernetes.io/name"], p) for f, l, p in edges] == [
        ("--ftp_front", "ftp-front", 50052), ("--ftam_front", "ftam-front", 50053)]
    for flag, dst, port in edges:
        assert policy_allows(objects, labels, dst, port), flag


def test_the_edge_check_catches_a_closed_ftam_front_edge(rendered):
    _, objects = rendered
    closed = json.loads(json.dumps(objects))
    policy = next(o for o in closed if o["kind"] == "NetworkPolicy" and o["metadata"]["name"] == "bridge")
    policy["spec"]["egress"] = [r for r in policy["spec"]["egress"] if {"port": 50053, "protocol": "TCP"}
                                not in r.get("ports", [])]
    labels = deployment_by_labels(closed, {"app.kubernetes.io/name": "bridge"})["spec"]["template"]["metadata"]["labels"]
    (_, ftp, ftp_port), (_, ftam, ftam_port) = bridge_front_edges(closed)
    assert policy_allows(closed, labels, ftp, ftp_port)
    assert not policy_allows(closed, labels, ftam, ftam_port)
