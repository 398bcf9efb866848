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
