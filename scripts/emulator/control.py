"""The emulator's control endpoint: a test chooses faults AWS would produce on its own.

POST /_emulator/stacksets {"operationPolls": 3, "fail": {"<account>": "<reason>"}}
    each new StackSet operation stays RUNNING for 3 DescribeStackSetOperation reads; the accounts
    named fail with that reason (see stacksets.py).
POST /_emulator/organizations {"suspend": ["<account>"], "activate": ["<account>"]}
    the accounts are SUSPENDED (AWS: an account closed or suspended by AWS; moto's CloseAccount
    only covers the first), or ACTIVE again (AWS reinstates a suspended account).
POST /_emulator/rolesanywhere {"ratePerSecond": 1}
    Roles Anywhere answers a second request of an API family within a second with ThrottlingException
    (see rolesanywhere.py); 0 turns the limit off. Either resets the counts that
    GET /_emulator/rolesanywhere returns (requests and the shortest gap per family, throttled ones).
POST /moto-api/reset clears all of it with moto's own state.
Only on this machine's emulator: never part of the AWS API.
"""
from __future__ import annotations

import json
from typing import Any

from moto.moto_server.werkzeug_app import DomainDispatcherApplication
from moto.organizations.models import organizations_backends

from . import rolesanywhere, stacksets


def _set_state(accounts: list[str], state: str) -> None:
    for _, by_partition in organizations_backends.items():
        for backend in by_partition.values():
            for account in backend.accounts:
                if account.id in accounts:
                    account.status = state
                    account.state = state


def _answer(start_response: Any, status: str, body: dict[str, Any]) -> list[bytes]:
    start_response(status, [("Content-Type", "application/json")])
    return [json.dumps(body).encode()]


def install() -> None:
    stock_call = DomainDispatcherApplication.__call__

    def call(self: Any, environ: dict[str, Any], start_response: Any) -> Any:
        path = environ.get("PATH_INFO", "")
        if path.startswith("/_emulator/"):
            length = int(environ.get("CONTENT_LENGTH") or 0)
            body = json.loads(environ["wsgi.input"].read(length) or b"{}") if length else {}
            if path == "/_emulator/rolesanywhere" and environ.get("REQUEST_METHOD") == "GET":
                return _answer(start_response, "200 OK", rolesanywhere.stats())
            if path == "/_emulator/stacksets":
                stacksets.configure(body)
            elif path == "/_emulator/rolesanywhere":
                rolesanywhere.configure(body)
            elif path == "/_emulator/organizations":
                _set_state(list(body.get("suspend", [])), "SUSPENDED")
                _set_state(list(body.get("activate", [])), "ACTIVE")
            else:
                return _answer(start_response, "404 Not Found", {"error": f"no such control: {path}"})
            return _answer(start_response, "200 OK", {"ok": True})
        if path == "/moto-api/reset" and environ.get("REQUEST_METHOD") == "POST":
            stacksets.reset()
            rolesanywhere.reset()
        return stock_call(self, environ, start_response)

    DomainDispatcherApplication.__call__ = call
