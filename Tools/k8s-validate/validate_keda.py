"""Checks the KEDA objects of rendered Kubernetes manifests, which kubernetes-validate has no
schema for, against KEDA's own CRD schema, and checks what a schema cannot: that each scaler
names a Deployment, a consumer group and authentication that exist in the same manifests.

    validate_keda.py RENDERED.yaml SECRETS.example.env

The schema is the one cloudcoil generates from KEDA 2.16's CRDs (cloudcoil.models.keda),
made strict: a property the CRD does not define is an error, as `kubectl apply` with
server-side field validation would report it.
"""
import re
import sys

import jsonschema
import yaml
from cloudcoil.models.keda import v1alpha1 as keda

MODELS = {"ScaledObject": keda.ScaledObject, "TriggerAuthentication": keda.TriggerAuthentication}


def strict(schema):
    """The schema with additionalProperties: false on every object that lists its properties."""
    if isinstance(schema, dict):
        if "properties" in schema and "additionalProperties" not in schema:
            schema["additionalProperties"] = False
        for value in schema.values():
            strict(value)
    elif isinstance(schema, list):
        for value in schema:
            strict(value)
    return schema


def schema_of(kind):
    schema = strict(MODELS[kind].model_json_schema(by_alias=True, mode="validation"))
    # The object metadata is Kubernetes' ObjectMeta, which kubernetes-validate checks elsewhere.
    schema["properties"]["metadata"] = {"type": "object"}
    return schema


def main(rendered_path, secrets_path):
    documents = [d for d in yaml.safe_load_all(open(rendered_path)) if d]
    secret_keys = {line.split("=", 1)[0] for line in open(secrets_path) if re.match(r"^[a-z0-9.-]+=", line)}
    errors = []
    named = {(d["kind"], d["metadata"]["name"]) for d in documents}
    containers = {}
    for d in documents:
        if d["kind"] == "Deployment":
            containers[d["metadata"]["name"]] = d["spec"]["template"]["spec"]["containers"]
    checked = 0
    for d in documents:
        kind, name = d.get("kind"), d.get("metadata", {}).get("name")
        where = f"{kind}/{name}"
        if d.get("apiVersion", "").startswith("keda.sh/"):
            if d["apiVersion"] != "keda.sh/v1alpha1" or kind not in MODELS:
                errors.append(f"{where}: {d['apiVersion']} {kind} is not a KEDA kind this check knows")
                continue
            validator = jsonschema.Draft202012Validator(schema_of(kind))
            for error in sorted(validator.iter_errors(d), key=lambda e: list(e.path)):
                path = ".".join(str(p) for p in error.path) or "(top)"
                errors.append(f"{where}: {path}: {error.message}")
            checked += 1
        if kind == "ScaledObject":
            spec = d.get("spec", {})
            target = spec.get("scaleTargetRef", {}).get("name")
            if ("Deployment", target) not in named:
                errors.append(f"{where}: scaleTargetRef names {target!r}, which is no Deployment here")
            low, high = spec.get("minReplicaCount", 0), spec.get("maxReplicaCount", 0)
            if not (isinstance(low, int) and isinstance(high, int) and 1 <= low <= high):
                errors.append(f"{where}: wants 1 <= minReplicaCount <= maxReplicaCount (a worker also serves /metrics)")
            # What the target's containers see: their env, and the keys of the ConfigMaps they load.
            config_maps = {d["metadata"]["name"]: set((d.get("data") or {}).keys()) for d in documents if d["kind"] == "ConfigMap"}
            environment = {e["name"] for c in containers.get(target, []) for e in c.get("env", [])}
            for c in containers.get(target, []):
                for source in c.get("envFrom", []):
                    environment |= config_maps.get(source.get("configMapRef", {}).get("name"), set())
            for i, trigger in enumerate(spec.get("triggers", [])):
                at = f"{where}: triggers.{i}"
                metadata = trigger.get("metadata", {})
                if trigger.get("type") != "redis-streams":
                    errors.append(f"{at}: type {trigger.get('type')!r}, expected redis-streams")
                    continue
                for key in ("stream", "consumerGroup"):
                    if not metadata.get(key):
                        errors.append(f"{at}: metadata.{key} is required")
                if not (metadata.get("address") or metadata.get("addressFromEnv") or metadata.get("host")):
                    errors.append(f"{at}: metadata needs address, addressFromEnv or host")
                for key in ("addressFromEnv", "hostFromEnv", "portFromEnv", "passwordFromEnv"):
                    if key in metadata and metadata[key] not in environment:
                        errors.append(f"{at}: metadata.{key} names {metadata[key]!r}, which {target}'s containers do not have")
                if metadata.get("consumerGroup") not in (None, target):
                    errors.append(f"{at}: consumerGroup {metadata['consumerGroup']!r} is not {target!r} (groups are named after the service)")
                measures = [k for k in ("lagCount", "pendingEntriesCount", "streamLength") if k in metadata]
                if len(measures) != 1 or not str(metadata[measures[0]]).isdigit() or int(metadata[measures[0]]) < 1:
                    errors.append(f"{at}: wants exactly one of lagCount, pendingEntriesCount, streamLength, a positive integer")
                reference = trigger.get("authenticationRef", {}).get("name")
                if reference and ("TriggerAuthentication", reference) not in named:
                    errors.append(f"{at}: authenticationRef names {reference!r}, which is no TriggerAuthentication here")
                if not reference and "passwordFromEnv" not in metadata:
                    errors.append(f"{at}: Redis asks for a password: give authenticationRef or passwordFromEnv")
        if kind == "TriggerAuthentication":
            for ref in d.get("spec", {}).get("secretTargetRef", []):
                if ref.get("key") not in secret_keys:
                    errors.append(f"{where}: secret key {ref.get('key')!r} is not in {secrets_path}")
        if kind == "Deployment":
            for c in containers[name]:
                for e in c.get("env", []):
                    ref = e.get("valueFrom", {}).get("secretKeyRef")
                    if ref and ref.get("key") not in secret_keys:
                        errors.append(f"{where}: env {e['name']} reads secret key {ref.get('key')!r}, which is not in {secrets_path}")
                    if "value" in e and re.search(r"(?i)password|token", e["name"]) and e["value"]:
                        errors.append(f"{where}: env {e['name']} has a value written in the manifest; read it from a Secret")
    for line in errors:
        print(f"ERROR {rendered_path}: {line}")
    if errors:
        return 1
    print(f"validate_keda: {checked} KEDA objects match KEDA's CRD schema; every scaler names a Deployment, its group and its authentication")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
