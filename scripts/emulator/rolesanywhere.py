"""IAM Roles Anywhere for the emulator: moto 5.2.5 has none.

Built from AWS's own API model, the one botocore ships (data/rolesanywhere/2018-05-10/service-2.json,
installed with moto): each request is routed by its HTTP method and path as the model declares
them (REST JSON, signing name `rolesanywhere`), its input checked against the model's shapes
(required members, string lengths and patterns, integer ranges, list sizes, enums) with AWS's
`ValidationException`, and answered in the model's output shape with its status code (201 for the
creates and TagResource). What the model does not say is taken from the API reference's prose:
- a trust anchor or profile is named by its ID or ARN; an unknown one is `ResourceNotFoundException`
  (404), and so is TagResource/ListTagsForResource on an unknown ARN;
- `enabled` defaults to false for a trust anchor and a profile created without it (the reference:
  "Specifies whether the ... is enabled"; the console enables them itself), `durationSeconds` to 3600;
- lists page by `pageSize` (default 50) with an opaque `nextToken`;
- a trust anchor's CERTIFICATE_BUNDLE data must hold PEM certificates (AWS parses them).
The service's rate limit (about one request per second per API family, as Teleport notes for
aws-ra) is off unless a test turns it on: POST /_emulator/rolesanywhere {"ratePerSecond": 1} makes a
second request of a family within 1/rate seconds a `ThrottlingException` (429). Families: the
request's resource kind (trust anchors, profiles, tags). Reset with moto.
"""
from __future__ import annotations

import datetime
import gzip
import json
import os
import re
import threading
import time
import uuid
from typing import Any
from urllib.parse import parse_qs, unquote

import botocore

_MODEL_PATH = os.path.join(os.path.dirname(botocore.__file__), "data", "rolesanywhere", "2018-05-10", "service-2.json")


def _load_model() -> dict[str, Any]:
    for path in (_MODEL_PATH, _MODEL_PATH + ".gz"):
        if os.path.exists(path):
            opener = gzip.open if path.endswith(".gz") else open
            with opener(path, "rt") as handle:  # type: ignore[operator]
                return json.load(handle)
    raise RuntimeError(f"botocore's Roles Anywhere model is missing ({_MODEL_PATH})")


MODEL = _load_model()
SHAPES: dict[str, Any] = MODEL["shapes"]
OPERATIONS = ["CreateTrustAnchor", "GetTrustAnchor", "UpdateTrustAnchor", "DeleteTrustAnchor", "EnableTrustAnchor", "DisableTrustAnchor",
              "ListTrustAnchors", "CreateProfile", "GetProfile", "UpdateProfile", "DeleteProfile", "EnableProfile", "DisableProfile",
              "ListProfiles", "TagResource", "UntagResource", "ListTagsForResource"]


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def _route(method: str, path: str) -> tuple[str, dict[str, str]] | None:
    for name in OPERATIONS:
        http = MODEL["operations"][name]["http"]
        if http["method"] != method:
            continue
        pattern = "^" + re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", http["requestUri"].split("?")[0]) + "$"
        match = re.match(pattern, path)
        if match:
            return name, {k: unquote(v) for k, v in match.groupdict().items()}
    return None


def _check(shape_name: str, value: Any, where: str) -> None:
    """The model's constraints on one value, as AWS's ValidationException reports them."""
    shape = SHAPES[shape_name]
    kind = shape["type"]
    if kind == "structure":
        if not isinstance(value, dict):
            raise ApiError(400, "ValidationException", f"{where} must be an object")
        for required in shape.get("required", []):
            if value.get(required) is None:
                raise ApiError(400, "ValidationException", f"{where}.{required} is required" if where else f"{required} is required")
        for key, member in shape["members"].items():
            if value.get(key) is not None and member.get("location") != "uri":
                _check(member["shape"], value[key], f"{where}.{key}" if where else key)
    elif kind == "list":
        if not isinstance(value, list):
            raise ApiError(400, "ValidationException", f"{where} must be a list")
        if len(value) < shape.get("min", 0) or len(value) > shape.get("max", 10**9):
            raise ApiError(400, "ValidationException", f"{where} must have between {shape.get('min', 0)} and {shape.get('max')} items")
        for item in value:
            _check(shape["member"]["shape"], item, f"{where}[]")
    elif kind == "string":
        if not isinstance(value, str):
            raise ApiError(400, "ValidationException", f"{where} must be a string")
        if len(value) < shape.get("min", 0) or len(value) > shape.get("max", 10**9):
            raise ApiError(400, "ValidationException", f"{where} length must be between {shape.get('min', 0)} and {shape.get('max')}")
        if "enum" in shape and value not in shape["enum"]:
            raise ApiError(400, "ValidationException", f"{where} must be one of {', '.join(shape['enum'])}")
        if "pattern" in shape and not re.fullmatch(shape["pattern"], value):
            raise ApiError(400, "ValidationException", f"{where} must match {shape['pattern']}")
    elif kind == "integer":
        if not isinstance(value, int) or isinstance(value, bool):
            raise ApiError(400, "ValidationException", f"{where} must be an integer")
        if value < shape.get("min", -(10**18)) or value > shape.get("max", 10**18):
            raise ApiError(400, "ValidationException", f"{where} must be between {shape.get('min')} and {shape.get('max')}")
    elif kind == "boolean" and not isinstance(value, bool):
        raise ApiError(400, "ValidationException", f"{where} must be a boolean")


class Store:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        self.anchors: dict[str, dict[str, Any]] = {}
        self.profiles: dict[str, dict[str, Any]] = {}
        self.tags: dict[str, list[dict[str, str]]] = {}
        self.rate: float = 0
        self.last: dict[str, float] = {}
        # What a benchmark reads back (GET /_emulator/rolesanywhere): arrivals per family, throttled ones.
        self.arrivals: dict[str, list[float]] = {}
        self.throttled = 0


STORE = Store()
PEM = re.compile(r"-----BEGIN CERTIFICATE-----\s+[A-Za-z0-9+/=\s]+-----END CERTIFICATE-----")


def _now() -> str:
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _find(table: dict[str, dict[str, Any]], ident: str, arn_key: str, what: str) -> dict[str, Any]:
    for item in table.values():
        if ident in (item[arn_key], next(v for k, v in item.items() if k.endswith("Id"))):
            return item
    raise ApiError(404, "ResourceNotFoundException", f"{what} {ident} not found")


def _page(items: list[dict[str, Any]], query: dict[str, list[str]], key: str) -> dict[str, Any]:
    size = int(query.get("pageSize", ["50"])[0])
    start = int(query.get("nextToken", ["0"])[0] or 0)
    page = items[start:start + size]
    out: dict[str, Any] = {key: page}
    if start + size < len(items):
        out["nextToken"] = str(start + size)
    return out


def _tags(resource_arn: str) -> list[dict[str, str]]:
    if resource_arn not in STORE.tags:
        raise ApiError(404, "ResourceNotFoundException", f"resource {resource_arn} not found")
    return STORE.tags[resource_arn]


def _set_tags(resource_arn: str, tags: list[dict[str, str]]) -> None:
    current = {t["key"]: t["value"] for t in STORE.tags.get(resource_arn, [])}
    current.update({t["key"]: t["value"] for t in tags})
    if len(current) > 50:
        raise ApiError(400, "TooManyTagsException", "a resource can have at most 50 tags")
    STORE.tags[resource_arn] = [{"key": k, "value": v} for k, v in current.items()]


def handle(name: str, params: dict[str, str], query: dict[str, list[str]], body: dict[str, Any], region: str, account: str) -> tuple[int, dict[str, Any]]:
    partition = "aws-us-gov" if region.startswith("us-gov-") else "aws-cn" if region.startswith("cn-") else "aws"
    operation = MODEL["operations"][name]
    # The input as the model locates its members: the JSON body, the path, the query string.
    members = SHAPES[operation["input"]["shape"]]["members"]
    located = {key: query[m["locationName"]][0] for key, m in members.items() if m.get("location") == "querystring" and m["locationName"] in query}
    for key, m in members.items():
        if m.get("location") == "querystring" and SHAPES[m["shape"]]["type"] == "integer" and key in located:
            try:
                located[key] = int(located[key])
            except ValueError:
                raise ApiError(400, "ValidationException", f"{key} must be an integer")
    _check(operation["input"]["shape"], {**body, **params, **located}, "")
    status = operation["http"].get("responseCode", 200)
    if name == "CreateTrustAnchor":
        source = body["source"]
        data = (source.get("sourceData") or {}).get("x509CertificateData")
        if source.get("sourceType") == "CERTIFICATE_BUNDLE" and (not data or not PEM.search(data)):
            raise ApiError(400, "ValidationException", "source.sourceData.x509CertificateData must hold PEM certificates")
        ident = str(uuid.uuid4())
        anchor = {"trustAnchorId": ident, "trustAnchorArn": f"arn:{partition}:rolesanywhere:{region}:{account}:trust-anchor/{ident}",
                  "name": body["name"], "source": source, "enabled": bool(body.get("enabled", False)), "createdAt": _now(), "updatedAt": _now(),
                  "notificationSettings": []}
        STORE.anchors[ident] = anchor
        STORE.tags[anchor["trustAnchorArn"]] = []
        _set_tags(anchor["trustAnchorArn"], body.get("tags") or [])
        return status, {"trustAnchor": anchor}
    if name == "CreateProfile":
        ident = str(uuid.uuid4())
        profile = {"profileId": ident, "profileArn": f"arn:{partition}:rolesanywhere:{region}:{account}:profile/{ident}", "name": body["name"],
                   "roleArns": body["roleArns"], "managedPolicyArns": body.get("managedPolicyArns") or [],
                   "durationSeconds": body.get("durationSeconds") or 3600, "enabled": bool(body.get("enabled", False)),
                   "acceptRoleSessionName": bool(body.get("acceptRoleSessionName", False)), "requireInstanceProperties": False,
                   "createdBy": f"arn:{partition}:iam::{account}:root", "createdAt": _now(), "updatedAt": _now(), "attributeMappings": []}
        if body.get("sessionPolicy") is not None:
            profile["sessionPolicy"] = body["sessionPolicy"]
        STORE.profiles[ident] = profile
        STORE.tags[profile["profileArn"]] = []
        _set_tags(profile["profileArn"], body.get("tags") or [])
        return status, {"profile": profile}
    if name.endswith("TrustAnchor"):
        anchor = _find(STORE.anchors, params["trustAnchorId"], "trustAnchorArn", "trust anchor")
        if name == "UpdateTrustAnchor":
            for key in ("name", "source"):
                if body.get(key) is not None:
                    anchor[key] = body[key]
            anchor["updatedAt"] = _now()
        elif name in ("EnableTrustAnchor", "DisableTrustAnchor"):
            anchor["enabled"] = name == "EnableTrustAnchor"
            anchor["updatedAt"] = _now()
        elif name == "DeleteTrustAnchor":
            del STORE.anchors[anchor["trustAnchorId"]]
            STORE.tags.pop(anchor["trustAnchorArn"], None)
        return status, {"trustAnchor": anchor}
    if name.endswith("Profile"):
        profile = _find(STORE.profiles, params["profileId"], "profileArn", "profile")
        if name == "UpdateProfile":
            for key in ("name", "roleArns", "managedPolicyArns", "durationSeconds", "acceptRoleSessionName", "sessionPolicy"):
                if body.get(key) is not None:
                    profile[key] = body[key]
            profile["updatedAt"] = _now()
        elif name in ("EnableProfile", "DisableProfile"):
            profile["enabled"] = name == "EnableProfile"
            profile["updatedAt"] = _now()
        elif name == "DeleteProfile":
            del STORE.profiles[profile["profileId"]]
            STORE.tags.pop(profile["profileArn"], None)
        return status, {"profile": profile}
    if name == "ListTrustAnchors":
        return status, _page(list(STORE.anchors.values()), query, "trustAnchors")
    if name == "ListProfiles":
        return status, _page(list(STORE.profiles.values()), query, "profiles")
    if name == "TagResource":
        _tags(body["resourceArn"])
        _set_tags(body["resourceArn"], body["tags"])
        return status, {}
    if name == "UntagResource":
        STORE.tags[body["resourceArn"]] = [t for t in _tags(body["resourceArn"]) if t["key"] not in body["tagKeys"]]
        return status, {}
    if name == "ListTagsForResource":
        return status, {"tags": _tags(query.get("resourceArn", [""])[0])}
    raise ApiError(400, "ValidationException", f"{name} is not emulated")


FAMILIES = {"TrustAnchor": "trust-anchors", "TrustAnchors": "trust-anchors", "Profile": "profiles", "Profiles": "profiles"}


def _throttled(name: str) -> bool:
    """One request per family within 1/rate seconds; a second is refused (when a test turns the limit on)."""
    family = next((f for suffix, f in FAMILIES.items() if name.endswith(suffix)), "tags")
    now = time.monotonic()
    if STORE.rate and now - STORE.last.get(family, -1e9) < 1 / STORE.rate:
        STORE.throttled += 1
        return True
    STORE.last[family] = now
    STORE.arrivals.setdefault(family, []).append(now)
    return False


def stats() -> dict[str, Any]:
    """Per family: requests answered, and the shortest gap between two (ms)."""
    with STORE.lock:
        families = {}
        for family, times in STORE.arrivals.items():
            gaps = [b - a for a, b in zip(times, times[1:])]
            families[family] = {"requests": len(times), "minGapMs": round(min(gaps) * 1000) if gaps else None}
        return {"families": families, "throttled": STORE.throttled}


SCOPE = re.compile(r"Credential=([^/]+)/\d{8}/([^/]+)/rolesanywhere/aws4_request")


def answer(environ: dict[str, Any], start_response: Any) -> list[bytes] | None:
    """Answers a Roles Anywhere request; None for any other request."""
    scope = SCOPE.search(environ.get("HTTP_AUTHORIZATION", ""))
    if not scope:
        return None
    region = scope.group(2)
    account = os.environ.get("MOTO_ACCOUNT_ID", "123456789012")
    method = environ.get("REQUEST_METHOD", "GET")
    # Routed on the path as sent: an ARN in it arrives with its slashes encoded (%2F), which
    # PATH_INFO has already decoded.
    raw = environ.get("RAW_URI") or environ.get("REQUEST_URI")
    path = raw.split("?")[0] if raw else environ.get("PATH_INFO", "")
    query = parse_qs(environ.get("QUERY_STRING", ""))
    length = int(environ.get("CONTENT_LENGTH") or 0)
    raw = environ["wsgi.input"].read(length) if length else b""

    def send(status: int, body: dict[str, Any], code: str | None = None) -> list[bytes]:
        reasons = {200: "OK", 201: "Created", 400: "Bad Request", 404: "Not Found", 429: "Too Many Requests"}
        headers = [("Content-Type", "application/json"), ("x-amzn-RequestId", str(uuid.uuid4()))]
        if code:
            headers.append(("x-amzn-ErrorType", code))
        start_response(f"{status} {reasons.get(status, 'Error')}", headers)
        return [json.dumps(body).encode()]

    routed = _route(method, path)
    if not routed:
        return send(404, {"message": f"no Roles Anywhere operation at {method} {path}"}, "UnknownOperationException")
    name, params = routed
    with STORE.lock:
        if _throttled(name):
            return send(429, {"message": "Rate exceeded"}, "ThrottlingException")
        try:
            body = json.loads(raw) if raw else {}
            status, out = handle(name, params, query, body, region, account)
            return send(status, out)
        except ApiError as error:
            return send(error.status, {"message": error.message}, error.code)


def configure(body: dict[str, Any]) -> None:
    with STORE.lock:
        STORE.rate = float(body.get("ratePerSecond", 0) or 0)
        STORE.last = {}
        STORE.arrivals = {}
        STORE.throttled = 0


def reset() -> None:
    with STORE.lock:
        STORE.reset()


def install() -> None:
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication

    stock_call = DomainDispatcherApplication.__call__

    def call(self: Any, environ: dict[str, Any], start_response: Any) -> Any:
        answered = answer(environ, start_response)
        return answered if answered is not None else stock_call(self, environ, start_response)

    DomainDispatcherApplication.__call__ = call
