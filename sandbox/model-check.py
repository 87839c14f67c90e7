#!/usr/bin/env python3
"""Checks the sandbox's answers against the AWS service models botocore publishes (an independent source:
not the JS SDK the sandbox and the action are built on).

Reads JSON lines on stdin, one per answer the sandbox gave:
  {"service": "ecs", "operation": "DescribeServices", "ok": true, "body": {...}}   (the wire form: epoch seconds)
  {"service": "ecs", "operation": "UpdateService", "ok": false, "code": "ServiceNotFoundException"}
and prints one finding per line (nothing when all conform): an unknown key, a wrong type, a value outside
an enum, a missing required member, or an error the operation does not declare.
"""
import gzip
import json
import os
import sys

MODEL_NAMES = {"ecs": "ecs", "ecr": "ecr", "ecr-public": "ecr-public", "codedeploy": "codedeploy",
               "sts": "sts", "elbv2": "elbv2", "iam": "iam"}

# Errors every AWS service may answer (auth, throttling, service faults), which models do not list per
# operation: https://docs.aws.amazon.com/ (Common Errors).
COMMON_ERRORS = {
    "AccessDeniedException", "AccessDenied", "ExpiredTokenException", "ExpiredToken",
    "IncompleteSignature", "InternalFailure", "InvalidAction", "InvalidClientTokenId",
    "InvalidParameterCombination", "InvalidParameterValue", "InvalidQueryParameter",
    "MalformedQueryString", "MissingAction", "MissingAuthenticationToken", "MissingParameter",
    "NotAuthorized", "OptInRequired", "RequestExpired", "ServiceUnavailable", "ServiceUnavailableException",
    "ThrottlingException", "Throttling", "UnrecognizedClientException", "ValidationError",
    "ValidationException", "InvalidSignatureException", "SignatureDoesNotMatch", "UnknownOperationException",
}

# Values AWS really sends that a model's enum does not list yet; each with the reason.
KNOWN_ENUM_VALUES = {
    # ECR enhanced scanning (Amazon Inspector) counts UNTRIAGED findings; ECR's model predates it.
    "FindingSeverity": {"UNTRIAGED"},
}

_models = {}


def load_model(name):
    """botocore's service-2 model: from ECS_SHIP_AWS_MODELS (a copy of botocore/data, for a user whose
    python has no botocore: .ci/run), else from the installed botocore."""
    root = os.environ.get("ECS_SHIP_AWS_MODELS")
    if not root:
        from botocore.loaders import Loader
        return Loader().load_service_model(name, "service-2")
    service_dir = os.path.join(root, name)
    version = sorted(os.listdir(service_dir))[-1]
    for file_name, opener in (("service-2.json.gz", gzip.open), ("service-2.json", open)):
        path = os.path.join(service_dir, version, file_name)
        if os.path.exists(path):
            with opener(path, "rt", encoding="utf-8") as f:
                return json.load(f)
    raise FileNotFoundError(f"no service-2 model for {name} under {service_dir}")


def model(service):
    if service not in _models:
        _models[service] = load_model(MODEL_NAMES[service])
    return _models[service]


def check_value(shapes, shape_name, value, path, out):
    shape = shapes[shape_name]
    kind = shape["type"]
    if kind == "structure":
        if not isinstance(value, dict):
            out.append(f"{path}: a {type(value).__name__}, the model wants a structure ({shape_name})")
            return
        members = shape.get("members", {})
        for key, item in value.items():
            if key not in members:
                out.append(f"{path}.{key}: not a member of {shape_name}")
                continue
            check_value(shapes, members[key]["shape"], item, f"{path}.{key}", out)
        for key in shape.get("required", []):
            if key not in value:
                out.append(f"{path}.{key}: required by {shape_name}, missing")
    elif kind == "list":
        if not isinstance(value, list):
            out.append(f"{path}: a {type(value).__name__}, the model wants a list")
            return
        for item in value:
            check_value(shapes, shape["member"]["shape"], item, f"{path}[]", out)
    elif kind == "map":
        if not isinstance(value, dict):
            out.append(f"{path}: a {type(value).__name__}, the model wants a map")
            return
        for key, item in value.items():
            check_value(shapes, shape["key"]["shape"], key, f"{path}{{{key}}}", out)
            check_value(shapes, shape["value"]["shape"], item, f"{path}[{key}]", out)
    elif kind == "string":
        if not isinstance(value, str):
            out.append(f"{path}: {json.dumps(value)} is not a string")
        elif "enum" in shape and value not in shape["enum"] and value not in KNOWN_ENUM_VALUES.get(shape_name, ()):
            out.append(f"{path}: {json.dumps(value)} is not one of {shape_name}'s values {shape['enum']}")
    elif kind in ("integer", "long"):
        if isinstance(value, bool) or not isinstance(value, int):
            out.append(f"{path}: {json.dumps(value)} is not an integer")
    elif kind in ("float", "double"):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            out.append(f"{path}: {json.dumps(value)} is not a number")
    elif kind == "boolean":
        if not isinstance(value, bool):
            out.append(f"{path}: {json.dumps(value)} is not a boolean")
    elif kind == "timestamp":
        # The JSON protocols send epoch seconds; the Query protocols' XML carries ISO 8601 (checked as sent
        # to the XML writer: epoch seconds too, before formatting).
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            out.append(f"{path}: {json.dumps(value)} is not a timestamp (epoch seconds)")
    elif kind == "blob":
        if not isinstance(value, str):
            out.append(f"{path}: {json.dumps(value)} is not a blob (base64 text)")


def check(record):
    service, operation = record["service"], record["operation"]
    if service not in MODEL_NAMES:
        return [f"{service}: no model to check against"]
    m = model(service)
    op = m["operations"].get(operation)
    where = f"{service}:{operation}"
    if op is None:
        # What AWS answers to a target it does not know; anything else is the sandbox inventing an operation.
        if not record["ok"] and record["code"] == "UnknownOperationException":
            return []
        return [f"{where}: not an operation of the {service} model"]
    if not record["ok"]:
        declared = {e["shape"] for e in op.get("errors", [])}
        # Query services (STS, ELBv2) send the awsQueryError code, which may differ from the shape's name
        # (InvalidIdentityTokenException goes out as InvalidIdentityToken).
        declared |= {m["shapes"][e["shape"]].get("error", {}).get("code", e["shape"]) for e in op.get("errors", [])}
        code = record["code"]
        if code in declared or code in COMMON_ERRORS:
            return []
        return [f"{where}: answered {code}, which the operation does not declare ({', '.join(sorted(declared))})"]
    out = []
    output = op.get("output")
    body = record.get("body") or {}
    if output is None:
        if body:
            out.append(f"{where}: the operation has no output, the sandbox sent {sorted(body)}")
        return out
    check_value(m["shapes"], output["shape"], body, where, out)
    return out


def main():
    findings = []
    seen = set()
    for line in sys.stdin:
        if not line.strip():
            continue
        for finding in check(json.loads(line)):
            if finding not in seen:
                seen.add(finding)
                findings.append(finding)
    for finding in findings:
        print(finding)


if __name__ == "__main__":
    main()
