#!/usr/bin/env python3
"""Checks the deployment files for what an operator relies on, beyond valid YAML:

- every Kubernetes overlay renders (`kubectl kustomize`, when kubectl is installed;
  otherwise the base is read as written), and in what it renders the app has startup,
  readiness (/ready) and liveness (/health) probes, memory requests and limits, runs
  as a non-root user, gets its secrets only by reference (no Secret object and no
  secret value in the files), and the autoscaler, disruption budget and migration Job
  are there and point at it;
- compose.yaml has two app instances behind a balancer, PostgreSQL, S3 storage and
  Prometheus, and the balancer checks /ready;
- every OPENAERO_* setting named anywhere is one the server knows (.env.example).

Usage: scripts/check-deploy.py [ROOT]   (ROOT defaults to this repository)
Prints each problem and exits 1 when there is any.
"""

import os
import re
import shutil
import subprocess
import sys

import yaml

ROOT = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), ".."))
SECRET_NAMES = {
    "DATABASE_URL",
    "OPENAERO_SECRET_KEY",
    "OPENAERO_DATA_KEYS",
    "OPENAERO_PAYMENT_WEBHOOK_SECRET",
    "OPENAERO_SMTP_URL",
    "AWS_SECRET_ACCESS_KEY",
}
problems = []


def problem(where, what):
    problems.append(f"{where}: {what}")


def known_settings():
    with open(os.path.join(ROOT, ".env.example")) as f:
        return set(re.findall(r"^#?\s*(OPENAERO_[A-Z_]+)=", f.read(), re.M))


def render(overlay):
    path = os.path.join(ROOT, overlay)
    if shutil.which("kubectl"):
        out = subprocess.run(["kubectl", "kustomize", path], capture_output=True, text=True)
        if out.returncode != 0:
            problem(overlay, f"does not render: {out.stderr.strip()}")
            return []
        return [d for d in yaml.safe_load_all(out.stdout) if d]
    # Without kubectl: the base's own files, which hold everything checked below.
    with open(os.path.join(path, "kustomization.yaml")) as f:
        kustomization = yaml.safe_load(f)
    docs = []
    for resource in kustomization.get("resources", []):
        file = os.path.join(path, resource)
        if os.path.isdir(file):
            docs += render(os.path.relpath(file, ROOT))
        else:
            with open(file) as f:
                docs += [d for d in yaml.safe_load_all(f) if d]
    return docs


def check_kubernetes(overlay, known):
    docs = render(overlay)
    by_kind = {}
    for doc in docs:
        by_kind.setdefault(doc.get("kind"), []).append(doc)
    if "Secret" in by_kind:
        problem(overlay, "a Secret is written in the manifests: reference one created apart")
    deployments = by_kind.get("Deployment", [])
    if len(deployments) != 1:
        problem(overlay, f"expected one Deployment, found {len(deployments)}")
        return
    deployment = deployments[0]
    name = deployment["metadata"]["name"]
    pod = deployment["spec"]["template"]["spec"]
    if not pod.get("securityContext", {}).get("runAsNonRoot"):
        problem(overlay, "the pods may run as root")
    app = pod["containers"][0]
    probes = {
        "startupProbe": None,
        "readinessProbe": "/ready",
        "livenessProbe": "/health",
    }
    for probe, path in probes.items():
        got = app.get(probe, {}).get("httpGet", {}).get("path")
        if got is None or (path and got != path):
            problem(overlay, f"the app's {probe} should ask {path or 'an HTTP path'}, not {got}")
    resources = app.get("resources", {})
    for part in ("requests", "limits"):
        if "memory" not in resources.get(part, {}):
            problem(overlay, f"the app has no memory {part[:-1]}")
    for source in app.get("envFrom", []):
        if "secretRef" in source and not source["secretRef"].get("name"):
            problem(overlay, "a secretRef without a name")
    if not any("secretRef" in source for source in app.get("envFrom", [])):
        problem(overlay, "the app gets no secrets by reference")
    settings = {}
    for configmap in by_kind.get("ConfigMap", []):
        settings.update(configmap.get("data", {}))
    for env in app.get("env", []):
        settings[env["name"]] = env.get("value")
    for key, value in settings.items():
        if key in SECRET_NAMES:
            problem(overlay, f"{key} is written in the manifests: put it in the Secret")
        if key.startswith("OPENAERO_") and key not in known:
            problem(overlay, f"{key} is not a setting the server knows")
    if settings.get("OPENAERO_MIGRATE") != "false":
        problem(overlay, "the pods migrate on start: the Job does that before a rollout")
    targets = [h["spec"]["scaleTargetRef"]["name"] for h in by_kind.get("HorizontalPodAutoscaler", [])]
    if targets != [name]:
        problem(overlay, f"the autoscaler should scale {name}, scales {targets}")
    labels = deployment["spec"]["selector"]["matchLabels"]
    budgets = by_kind.get("PodDisruptionBudget", [])
    if not budgets or any(b["spec"].get("selector", {}).get("matchLabels") != labels for b in budgets):
        problem(overlay, "no disruption budget selects the app's pods")
    jobs = [j for j in by_kind.get("Job", []) if j["spec"]["template"]["spec"]["containers"][0].get("args") == ["migrate"]]
    if not jobs:
        problem(overlay, "no Job runs the migrations")
    for job in jobs:
        image = job["spec"]["template"]["spec"]["containers"][0]["image"]
        if image != app["image"]:
            problem(overlay, f"the migration Job runs {image}, the app {app['image']}")


def check_compose(known):
    with open(os.path.join(ROOT, "compose.yaml")) as f:
        compose = yaml.safe_load(f)
    services = compose.get("services", {})
    for needed in ("postgres", "minio", "balancer", "prometheus", "app1", "app2"):
        if needed not in services:
            problem("compose.yaml", f"no {needed} service")
    for name, service in services.items():
        for key in service.get("environment", {}) or {}:
            if key.startswith("OPENAERO_") and key not in known:
                problem("compose.yaml", f"{name}: {key} is not a setting the server knows")
    for app in ("app1", "app2"):
        storage = (services.get(app, {}).get("environment") or {}).get("OPENAERO_STORAGE", "")
        if not storage.startswith("s3://"):
            problem("compose.yaml", f"{app} keeps files in {storage!r}, not in the shared S3 storage")
    with open(os.path.join(ROOT, "deploy/compose/haproxy.cfg")) as f:
        if "option httpchk GET /ready" not in f.read():
            problem("deploy/compose/haproxy.cfg", "the balancer does not check /ready")


def main():
    known = known_settings()
    if not known:
        problem(".env.example", "no settings found")
    overlays = ["deploy/k8s/base"]
    overlays += [os.path.join("deploy/k8s/overlays", o) for o in sorted(os.listdir(os.path.join(ROOT, "deploy/k8s/overlays")))]
    for overlay in overlays:
        check_kubernetes(overlay, known)
    check_compose(known)
    for p in problems:
        print(p)
    print(f"checked {len(overlays)} Kubernetes overlays and compose.yaml: {len(problems)} problems"
          + ("" if shutil.which("kubectl") else " (kubectl not installed: the base was read as written)"))
    sys.exit(1 if problems else 0)


main()
