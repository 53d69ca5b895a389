"""Service-managed StackSets as AWS runs them, on top of moto 5.2.5's StackSet model.

moto creates a StackSet's instances (and really creates each instance's resources in the member
account's emulated IAM), but every operation ends at once and succeeds, UpdateStackInstances and
UpdateStackSet never touch the deployed resources, ListStackInstances has one page and no status
but CURRENT, results exist only for operations that named accounts, and DetectStackSetDrift and
ListStackInstanceResourceDrifts are missing. This module replaces the operation handlers with AWS's
documented behaviour (CloudFormation API reference: CreateStackInstances, UpdateStackInstances,
DeleteStackInstances, UpdateStackSet, DescribeStackSetOperation, ListStackSetOperationResults,
ListStackInstances, DetectStackSetDrift, ListStackInstanceResourceDrifts, StackInstanceSummary,
StackSetOperationPreferences; the StackSets user guide's "drift detection" and "failure tolerance"):

- A unit (or root) in DeploymentTargets covers every unit nested under it; AccountFilterType
  NONE / INTERSECTION / DIFFERENCE / UNION combines the units' accounts with Accounts; a
  service-managed StackSet never deploys to the management account.
- One operation at a time per stack set: starting another while one runs is
  OperationInProgressException. An operation stays RUNNING for the number of
  DescribeStackSetOperation reads a test chooses (FAULTS["operation_polls"]), finishing its
  accounts a share per read, so ListStackSetOperationResults shows progress.
- Accounts a test chooses (FAULTS["fail"]: account -> reason) fail: the result is FAILED with the
  reason, the instance OUTDATED with DetailedStatus FAILED and the reason as StatusReason, nothing
  is deployed there. The operation FAILS only past its failure tolerance
  (FailureToleranceCount, or FailureTolerancePercentage of the accounts rounded down; default 0);
  accounts after that point are CANCELLED. Within it the operation SUCCEEDS.
- A suspended account is skipped: DetailedStatus SKIPPED_SUSPENDED_ACCOUNT, not a failure.
- An update re-deploys only what the template changed, compared with the previous template, as
  CloudFormation does: an unchanged template repairs nothing in the member account.
- ListStackInstances pages at most 100 (NextToken), with StatusReason, DriftStatus,
  LastDriftCheckTimestamp, OrganizationalUnitId and LastOperationId, and its filters.
- DetectStackSetDrift is an operation (Action DETECT_DRIFT) that compares each instance's IAM roles,
  as they are in the member account, with the template's properties: a role deleted is DELETED, a
  property changed MODIFIED; the instance is DRIFTED or IN_SYNC. ListStackInstanceResourceDrifts
  says what differs.
Ordering within an operation is the targets' order; AWS's concurrency ramp is not emulated.
"""
from __future__ import annotations

import json
import math
import uuid
from typing import Any

from moto.cloudformation.exceptions import CloudFormationError, ValidationError
from moto.cloudformation.models import StackInstance
from moto.cloudformation.responses import CloudFormationResponse
from moto.core.responses import ActionResult, EmptyResult
from moto.core.utils import utcnow
from moto.iam.models import iam_backends

from .delegated import check_call_as, org_backend_of

# What tests choose, through POST /_emulator/stacksets (reset with moto).
FAULTS: dict[str, Any] = {"operation_polls": 0, "fail": {}}
# Per instance (stack set id, account, region): what moto does not keep.
STATE: dict[tuple[str, str, str], dict[str, Any]] = {}
# Per (stack set id, account, region, operation id): ListStackInstanceResourceDrifts' answer.
DRIFTS: dict[tuple[str, str, str, str], list[dict[str, Any]]] = {}

ACTIVE = ("RUNNING", "STOPPING", "QUEUED")
PAGE = 100


def reset() -> None:
    FAULTS.clear()
    FAULTS.update({"operation_polls": 0, "fail": {}})
    STATE.clear()
    DRIFTS.clear()


def configure(body: dict[str, Any]) -> None:
    if "operationPolls" in body:
        FAULTS["operation_polls"] = int(body["operationPolls"])
    if "fail" in body:
        FAULTS["fail"] = dict(body["fail"])


class OperationInProgressException(CloudFormationError):
    code = "OperationInProgressException"


class OperationNotFoundException(CloudFormationError):
    code = "OperationNotFoundException"


class StackInstanceNotFoundException(CloudFormationError):
    code = "StackInstanceNotFoundException"


# --- Targets --------------------------------------------------------------------------------


def _org(stackset: Any) -> Any:
    # A delegated administrator's set targets the organization's units and accounts (delegated.py).
    return org_backend_of(stackset.instances.account_id, stackset.instances.partition)


def _accounts_by_id(stackset: Any) -> dict[str, Any]:
    return {a.id: a for a in _org(stackset).accounts}


def _targeted(stackset: Any, targets: dict[str, Any], skip_management: bool) -> list[tuple[str, str | None]]:
    """(account, the targeted unit that covers it) for DeploymentTargets, in the organization's order."""
    org = _org(stackset)
    units = list(targets.get("OrganizationalUnitIds", []))
    parent_of = {ou.id: ou.parent_id for ou in org.ou}

    def covering(unit_id: str | None) -> str | None:
        seen = set()
        while unit_id and unit_id not in seen:
            if unit_id in units:
                return unit_id
            seen.add(unit_id)
            unit_id = parent_of.get(unit_id)
        return None

    in_units = [(a.id, covering(a.parent_id)) for a in org.accounts if covering(a.parent_id)]
    listed = list(targets.get("Accounts", []))
    kind = targets.get("AccountFilterType", "NONE")
    if kind == "INTERSECTION":
        chosen = [(a, u) for a, u in in_units if a in listed]
    elif kind == "DIFFERENCE":
        chosen = [(a, u) for a, u in in_units if a not in listed]
    elif kind == "UNION":
        known = {a for a, _ in in_units}
        chosen = in_units + [(a, None) for a in listed if a not in known]
    else:
        chosen = in_units
    management = org.org.master_account_id if org.org else None
    return [(a, u) for a, u in chosen if not (skip_management and a == management)]


def _instance(stackset: Any, account: str, region: str) -> Any:
    return stackset.instances.get_instance(account, region)


def _state(stackset: Any, account: str, region: str) -> dict[str, Any]:
    return STATE.setdefault(
        (stackset.id, account, region),
        {"Status": "CURRENT", "DetailedStatus": "SUCCEEDED", "StatusReason": None, "DriftStatus": "NOT_CHECKED", "LastDriftCheckTimestamp": None, "Unit": None, "LastOperationId": None},
    )


class FailedInstance:
    """An instance whose stack was never created (its account failed): listed, nothing deployed."""

    def __init__(self, account: str, region: str) -> None:
        self.account_id = account
        self.region_name = region
        self.stack = None
        self.template = None

    def delete(self) -> None:
        pass

    def to_dict(self) -> dict[str, Any]:
        return {"Account": self.account_id, "Region": self.region_name, "Status": "OUTDATED"}


# --- Operations -----------------------------------------------------------------------------


def _tolerance(preferences: dict[str, Any], targets: int) -> int:
    if "FailureToleranceCount" in preferences:
        return int(preferences["FailureToleranceCount"])
    if "FailureTolerancePercentage" in preferences:
        return math.floor(targets * int(preferences["FailureTolerancePercentage"]) / 100)
    return 0


def _start(
    stackset: Any, action: str, targets: list[tuple[str, str, str | None]], work: Any, preferences: dict[str, Any], queue: bool = False
) -> dict[str, Any]:
    running = [op for op in stackset.operations if op["Status"] in ACTIVE]
    if running and not queue:
        raise OperationInProgressException(f"Another Operation on StackSet {stackset.arn} is in progress: {running[0]['OperationId']}")
    operation = {
        "OperationId": str(uuid.uuid4()),
        "Action": action,
        "Status": "RUNNING",
        "CreationTimestamp": utcnow(),
        "Instances": [],
        "_targets": targets,
        "_next": 0,
        "_work": work,
        "_polls": max(0, int(FAULTS["operation_polls"])),
        "_results": {},
        "_failed": 0,
        "_tolerance": _tolerance(preferences, len(targets)),
        "_preferences": preferences,
        "_reason": None,
    }
    operation["_stackset"] = stackset
    stackset.operations.append(operation)
    if running:
        # Automatic deployment's own operations wait their turn (AWS: QUEUED).
        operation["Status"] = "QUEUED"
        return operation
    _begin(stackset, operation)
    return operation


def _begin(stackset: Any, operation: dict[str, Any]) -> None:
    operation["Status"] = "RUNNING"
    if operation["_polls"] == 0:
        _advance(stackset, operation, len(operation["_targets"]))
        _finish(operation)


def _advance(stackset: Any, operation: dict[str, Any], how_many: int) -> None:
    """Works through the next accounts of a running operation; past the tolerance the rest are CANCELLED."""
    targets = operation["_targets"]
    end = min(len(targets), operation["_next"] + how_many)
    for account, region, unit in targets[operation["_next"] : end]:
        if operation["_failed"] > operation["_tolerance"]:
            reason = "Cancelled since failure tolerance has exceeded"
            operation["_results"][(account, region)] = {"Status": "CANCELLED", "StatusReason": reason, "Unit": unit}
            if _instance(stackset, account, region) is not None:
                _state(stackset, account, region).update({"Status": "OUTDATED", "DetailedStatus": "CANCELLED", "StatusReason": reason})
            continue
        status, reason = operation["_work"](stackset, operation, account, region, unit)
        operation["_results"][(account, region)] = {"Status": status, "StatusReason": reason, "Unit": unit}
        if status == "FAILED":
            operation["_failed"] += 1
    operation["_next"] = end


def _finish(operation: dict[str, Any]) -> None:
    failed = operation["_failed"] > operation["_tolerance"]
    operation["Status"] = "FAILED" if failed else "SUCCEEDED"
    operation["_reason"] = "The Operation failed: failure tolerance exceeded" if failed else None
    operation["EndTimestamp"] = utcnow()
    stackset = operation["_stackset"]
    queued = next((op for op in stackset.operations if op["Status"] == "QUEUED"), None)
    if queued is not None:
        _begin(stackset, queued)


def _poll(stackset: Any, operation: dict[str, Any]) -> None:
    """One DescribeStackSetOperation read: while reads are left the operation stays RUNNING and a share
    of its accounts finish; the read after the last one ends it."""
    if operation["Status"] != "RUNNING" or "_targets" not in operation:
        return
    remaining = len(operation["_targets"]) - operation["_next"]
    if operation["_polls"] > 0:
        _advance(stackset, operation, math.ceil(remaining / (operation["_polls"] + 1)))
        operation["_polls"] -= 1
        return
    _advance(stackset, operation, remaining)
    _finish(operation)


def _suspended(stackset: Any, account: str) -> bool:
    found = _accounts_by_id(stackset).get(account)
    return found is not None and found.status in ("SUSPENDED", "PENDING_CLOSURE")


def _failure(account: str) -> str | None:
    reason = FAULTS["fail"].get(account)
    return str(reason) if reason else None


def _record(stackset: Any, operation: dict[str, Any], account: str, region: str, unit: str | None, **fields: Any) -> dict[str, Any]:
    state = _state(stackset, account, region)
    state.update(fields)
    state["LastOperationId"] = operation["OperationId"]
    if unit:
        state["Unit"] = unit
    return state


def _create_work(stackset: Any, operation: dict[str, Any], account: str, region: str, unit: str | None) -> tuple[str, str | None]:
    existing = _instance(stackset, account, region)
    if _suspended(stackset, account):
        if existing is None:
            stackset.instances.stack_instances.append(FailedInstance(account, region))
        _record(stackset, operation, account, region, unit, Status="OUTDATED", DetailedStatus="SKIPPED_SUSPENDED_ACCOUNT", StatusReason="The account is suspended")
        return "SUCCEEDED", "The account is suspended: skipped"
    reason = _failure(account)
    if reason:
        if existing is None:
            stackset.instances.stack_instances.append(FailedInstance(account, region))
        _record(stackset, operation, account, region, unit, Status="OUTDATED", DetailedStatus="FAILED", StatusReason=reason)
        return "FAILED", reason
    if isinstance(existing, FailedInstance):
        stackset.instances.stack_instances.remove(existing)
        existing = None
    if existing is None:
        _deploy(stackset, account, region)
    elif existing.template != stackset.template:
        _update_resources(existing, stackset.template, account)
    _record(stackset, operation, account, region, unit, Status="CURRENT", DetailedStatus="SUCCEEDED", StatusReason=None)
    return "SUCCEEDED", None


def _deploy(stackset: Any, account: str, region: str) -> None:
    stackset.instances.stack_instances.append(
        StackInstance(
            account_id=account,
            region_name=region,
            stackset_id=stackset.id,
            stack_name=stackset.instances.stack_name,
            name=stackset.name,
            template=stackset.template,
            parameters=stackset.parameters or {},
            permission_model=stackset.permission_model,
        )
    )
    # moto keeps a CloudFormation role's policies as parsed objects, and GetRolePolicy then answers
    # Python's repr of them; AWS keeps (and returns) JSON.
    for props in _roles(stackset.template).values():
        role = _live_role(account, props.get("RoleName"))
        if role is None:
            continue
        for name, document in list(role.policies.items()):
            if not isinstance(document, str):
                role.policies[name] = json.dumps(document)
        if not isinstance(role.assume_role_policy_document, str):
            role.assume_role_policy_document = json.dumps(role.assume_role_policy_document)


def _update_work(stackset: Any, operation: dict[str, Any], account: str, region: str, unit: str | None) -> tuple[str, str | None]:
    existing = _instance(stackset, account, region)
    if existing is None:
        return "FAILED", "Stack instance not found"
    return _create_work(stackset, operation, account, region, unit)


def _delete_work(stackset: Any, operation: dict[str, Any], account: str, region: str, unit: str | None) -> tuple[str, str | None]:
    existing = _instance(stackset, account, region)
    reason = _failure(account)
    if reason and existing is not None and not isinstance(existing, FailedInstance):
        _record(stackset, operation, account, region, unit, Status="INOPERABLE", DetailedStatus="INOPERABLE", StatusReason=reason)
        return "FAILED", reason
    if existing is not None:
        if operation["_preferences"].get("_RetainStacks") is not True:
            try:
                existing.delete()
            except Exception as error:  # noqa: BLE001
                # CloudFormation's delete handlers treat a resource already gone (deleted by hand) as
                # deleted; moto raises NotFound. Anything else is a real failure.
                if "not found" not in str(error).lower() and "NoSuchEntity" not in type(error).__name__:
                    raise
        stackset.instances.stack_instances.remove(existing)
    STATE.pop((stackset.id, account, region), None)
    return "SUCCEEDED", None


# --- The roles of a template, deployed, updated and compared with the member account's IAM -----


def _roles(template: str | None) -> dict[str, dict[str, Any]]:
    try:
        parsed = json.loads(template or "{}")
    except ValueError:
        return {}
    resources = parsed.get("Resources", {}) if isinstance(parsed, dict) else {}
    return {name: r.get("Properties", {}) for name, r in resources.items() if isinstance(r, dict) and r.get("Type") == "AWS::IAM::Role"}


def _iam(account: str) -> Any:
    return iam_backends[account]["aws"]


def _live_role(account: str, name: str) -> Any:
    try:
        return _iam(account).get_role(name)
    except Exception:  # NoSuchEntity
        return None


def _document(text: Any) -> Any:
    if isinstance(text, (dict, list)):
        return text
    from urllib.parse import unquote

    try:
        return json.loads(text)
    except (TypeError, ValueError):
        try:
            return json.loads(unquote(text))
        except (TypeError, ValueError):
            return text


def _update_resources(instance: Any, template: str, account: str) -> None:
    """CloudFormation updates a resource only where the new template differs from the previous one."""
    before, after = _roles(instance.template), _roles(template)
    iam = _iam(account)
    for logical, props in after.items():
        old = before.get(logical, {})
        name = props.get("RoleName")
        role = _live_role(account, name)
        if role is None:
            continue  # an update of a role deleted by hand fails in AWS; nothing to write here
        if _document(old.get("AssumeRolePolicyDocument")) != _document(props.get("AssumeRolePolicyDocument")):
            iam.update_assume_role_policy(name, json.dumps(props.get("AssumeRolePolicyDocument")))
        if old.get("Description") != props.get("Description"):
            iam.update_role_description(name, props.get("Description", ""))
        old_policies = {p["PolicyName"]: _document(p["PolicyDocument"]) for p in old.get("Policies", [])}
        new_policies = {p["PolicyName"]: _document(p["PolicyDocument"]) for p in props.get("Policies", [])}
        for policy, document in new_policies.items():
            if old_policies.get(policy) != document:
                iam.put_role_policy(name, policy, json.dumps(document))
        for policy in old_policies:
            if policy not in new_policies and policy in role.policies:
                iam.delete_role_policy(name, policy)
    instance.template = template


def _role_drifts(stackset: Any, instance: Any, account: str, region: str) -> list[dict[str, Any]]:
    drifts = []
    stack_id = f"arn:aws:cloudformation:{region}:{account}:stack/StackSet-{stackset.name}/{stackset.id}"
    for logical, props in _roles(instance.template).items():
        name = props.get("RoleName")
        role = _live_role(account, name)
        entry = {
            "StackId": stack_id,
            "LogicalResourceId": logical,
            "PhysicalResourceId": name,
            "ResourceType": "AWS::IAM::Role",
            "Timestamp": utcnow(),
            "PropertyDifferences": [],
        }
        if role is None:
            entry["StackResourceDriftStatus"] = "DELETED"
            drifts.append(entry)
            continue
        differences = []
        expected_trust = _document(props.get("AssumeRolePolicyDocument"))
        actual_trust = _document(role.assume_role_policy_document)
        if expected_trust != actual_trust:
            differences.append({"PropertyPath": "/AssumeRolePolicyDocument", "ExpectedValue": json.dumps(expected_trust), "ActualValue": json.dumps(actual_trust), "DifferenceType": "NOT_EQUAL"})
        if "Description" in props and (role.description or "") != props["Description"]:
            differences.append({"PropertyPath": "/Description", "ExpectedValue": props["Description"], "ActualValue": role.description or "", "DifferenceType": "NOT_EQUAL"})
        expected_policies = {p["PolicyName"]: _document(p["PolicyDocument"]) for p in props.get("Policies", [])}
        live_policies = {k: _document(v) for k, v in role.policies.items()}
        for index, (policy, document) in enumerate(expected_policies.items()):
            if policy not in live_policies:
                differences.append({"PropertyPath": f"/Policies/{index}", "ExpectedValue": json.dumps({"PolicyName": policy}), "ActualValue": "null", "DifferenceType": "REMOVE"})
            elif live_policies[policy] != document:
                differences.append({"PropertyPath": f"/Policies/{index}/PolicyDocument", "ExpectedValue": json.dumps(document), "ActualValue": json.dumps(live_policies[policy]), "DifferenceType": "NOT_EQUAL"})
        for policy in live_policies:
            if policy not in expected_policies:
                differences.append({"PropertyPath": f"/Policies/{len(expected_policies)}", "ExpectedValue": "null", "ActualValue": json.dumps({"PolicyName": policy}), "DifferenceType": "ADD"})
        entry["PropertyDifferences"] = differences
        entry["StackResourceDriftStatus"] = "MODIFIED" if differences else "IN_SYNC"
        drifts.append(entry)
    return drifts


def _drift_work(stackset: Any, operation: dict[str, Any], account: str, region: str, unit: str | None) -> tuple[str, str | None]:
    instance = _instance(stackset, account, region)
    state = _state(stackset, account, region)
    now = utcnow()
    if instance is None or isinstance(instance, FailedInstance):
        state.update({"DriftStatus": "UNKNOWN", "LastDriftCheckTimestamp": now})
        return "SUCCEEDED", None
    drifts = _role_drifts(stackset, instance, account, region)
    DRIFTS[(stackset.id, account, region, operation["OperationId"])] = drifts
    drifted = any(d["StackResourceDriftStatus"] != "IN_SYNC" for d in drifts)
    state.update({"DriftStatus": "DRIFTED" if drifted else "IN_SYNC", "LastDriftCheckTimestamp": now})
    return "SUCCEEDED", None


# --- The API's handlers -----------------------------------------------------------------------


def _stackset(self: Any) -> Any:
    stackset = self.cloudformation_backend.describe_stack_set(self._get_param("StackSetName"))
    check_call_as(self, stackset)
    return stackset


def _preferences(self: Any) -> dict[str, Any]:
    return dict(self._get_params().get("OperationPreferences") or {})


def _regions(self: Any) -> list[str]:
    return list(self._get_param("Regions", []) or [])


def _instance_targets(self: Any, stackset: Any, skip_management: bool) -> list[tuple[str, str, str | None]]:
    deployment_targets = self._get_params().get("DeploymentTargets")
    regions = _regions(self)
    if deployment_targets:
        if stackset.permission_model == "SERVICE_MANAGED" and not deployment_targets.get("OrganizationalUnitIds"):
            raise ValidationError(message="OrganizationalUnitIds are required")
        chosen = _targeted(stackset, deployment_targets, skip_management)
    else:
        if stackset.permission_model == "SERVICE_MANAGED":
            raise ValidationError(message="StackSets with SERVICE_MANAGED permission model can only have OrganizationalUnit as target")
        chosen = [(a, None) for a in self._get_param("Accounts", []) or []]
    return [(account, region, unit) for region in regions for account, unit in chosen]


def create_stack_instances(self: Any) -> ActionResult:
    stackset = _stackset(self)
    targets = _instance_targets(self, stackset, skip_management=True)
    deployment_targets = self._get_params().get("DeploymentTargets") or {}
    # Automatic deployment covers the units instances were created through, in the regions they were.
    stackset._auto_units = set(getattr(stackset, "_auto_units", set())) | set(deployment_targets.get("OrganizationalUnitIds", []))
    stackset._auto_regions = set(getattr(stackset, "_auto_regions", set())) | set(_regions(self))
    operation = _start(stackset, "CREATE", targets, _create_work, _preferences(self))
    return ActionResult({"OperationId": operation["OperationId"]})


def update_stack_instances(self: Any) -> ActionResult:
    stackset = _stackset(self)
    targets = _instance_targets(self, stackset, skip_management=True)
    # UpdateStackInstances takes only accounts that already have an instance (AWS: StackInstanceNotFoundException).
    for account, region, _ in targets:
        if _instance(stackset, account, region) is None:
            raise StackInstanceNotFoundException(f"Stack instance {account}/{region} not found in StackSet {stackset.name}")
    operation = _start(stackset, "UPDATE", targets, _update_work, _preferences(self))
    return ActionResult({"OperationId": operation["OperationId"]})


def delete_stack_instances(self: Any) -> ActionResult:
    stackset = _stackset(self)
    targets = _instance_targets(self, stackset, skip_management=False)
    targets = [(a, r, u) for a, r, u in targets if _instance(stackset, a, r) is not None]
    preferences = _preferences(self)
    preferences["_RetainStacks"] = str(self._get_param("RetainStacks", "false")).lower() == "true"
    operation = _start(stackset, "DELETE", targets, _delete_work, preferences)
    return ActionResult({"OperationId": operation["OperationId"]})


def update_stack_set(self: Any) -> ActionResult:
    stackset = _stackset(self)
    running = [op for op in stackset.operations if op["Status"] in ACTIVE]
    if running:
        raise OperationInProgressException(f"Another Operation on StackSet {stackset.arn} is in progress: {running[0]['OperationId']}")
    template = self._get_param("TemplateBody")
    if template:
        stackset.template = template
        stackset.instances.template = template
    description = self._get_param("Description")
    if description is not None:
        stackset.description = description
    tags = self._get_param("Tags")
    if tags:
        stackset.tags = {t["Key"]: t["Value"] for t in tags}
    # Every instance of the set, in every region it has one.
    targets = [(i.account_id, i.region_name, _state(stackset, i.account_id, i.region_name).get("Unit")) for i in stackset.instances.stack_instances]
    operation = _start(stackset, "UPDATE", targets, _update_work, _preferences(self))
    return ActionResult({"OperationId": operation["OperationId"]})


def detect_stack_set_drift(self: Any) -> ActionResult:
    stackset = _stackset(self)
    targets = [(i.account_id, i.region_name, _state(stackset, i.account_id, i.region_name).get("Unit")) for i in stackset.instances.stack_instances]
    operation = _start(stackset, "DETECT_DRIFT", targets, _drift_work, _preferences(self))
    stackset._drift_operation = operation["OperationId"]
    return ActionResult({"OperationId": operation["OperationId"]})


def _operation(stackset: Any, operation_id: str) -> dict[str, Any]:
    for operation in stackset.operations:
        if operation["OperationId"] == operation_id:
            return operation
    raise OperationNotFoundException(f"Operation {operation_id} not found")


def _summary(stackset: Any, operation: dict[str, Any]) -> dict[str, Any]:
    summary = {
        "OperationId": operation["OperationId"],
        "Action": operation["Action"],
        "Status": operation["Status"],
        "CreationTimestamp": operation["CreationTimestamp"],
        "StatusDetails": {"FailedStackInstancesCount": operation.get("_failed", 0)},
    }
    if operation.get("EndTimestamp"):
        summary["EndTimestamp"] = operation["EndTimestamp"]
    if operation.get("_reason"):
        summary["StatusReason"] = operation["_reason"]
    return summary


def describe_stack_set_operation(self: Any) -> ActionResult:
    stackset = _stackset(self)
    operation = _operation(stackset, self._get_param("OperationId"))
    _poll(stackset, operation)
    result = {
        **_summary(stackset, operation),
        "StackSetId": stackset.id,
        "AdministrationRoleARN": stackset.administration_role_arn,
        "ExecutionRoleName": stackset.execution_role_name,
        "OperationPreferences": {k: v for k, v in operation.get("_preferences", {}).items() if not k.startswith("_")},
    }
    return ActionResult({"StackSetOperation": result})


def list_stack_set_operations(self: Any) -> ActionResult:
    stackset = _stackset(self)
    return ActionResult({"Summaries": [_summary(stackset, op) for op in reversed(stackset.operations)]})


def stop_stack_set_operation(self: Any) -> EmptyResult:
    stackset = _stackset(self)
    operation = _operation(stackset, self._get_param("OperationId"))
    if operation["Status"] == "RUNNING":
        # Accounts not reached yet are cancelled; their instances are OUTDATED (AWS: "the operation stopped before it").
        for account, region, unit in operation["_targets"][operation["_next"] :]:
            operation["_results"][(account, region)] = {"Status": "CANCELLED", "StatusReason": "Cancelled since the operation was stopped", "Unit": unit}
            if _instance(stackset, account, region) is not None:
                _state(stackset, account, region).update({"Status": "OUTDATED", "DetailedStatus": "CANCELLED"})
        operation["_next"] = len(operation["_targets"])
        operation["Status"] = "STOPPED"
        operation["EndTimestamp"] = utcnow()
        queued = next((op for op in stackset.operations if op["Status"] == "QUEUED"), None)
        if queued is not None:
            _begin(stackset, queued)
    return EmptyResult()


def _page(self: Any, items: list[Any]) -> tuple[list[Any], str | None]:
    size = int(self._get_param("MaxResults") or PAGE)
    if size < 1 or size > PAGE:
        raise ValidationError(message=f"1 validation error detected: Value '{size}' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to {PAGE}")
    start = int(self._get_param("NextToken") or 0)
    end = start + size
    return items[start:end], (str(end) if end < len(items) else None)


def _filters(self: Any) -> list[tuple[str, str]]:
    return [(f["Name"], f["Values"]) for f in self._get_params().get("Filters") or []]


def list_stack_set_operation_results(self: Any) -> ActionResult:
    stackset = _stackset(self)
    operation = _operation(stackset, self._get_param("OperationId"))
    results = []
    for account, region, unit in operation.get("_targets", []):
        result = operation.get("_results", {}).get((account, region))
        status = result["Status"] if result else ("RUNNING" if operation["Status"] == "RUNNING" else "PENDING")
        entry = {"Account": account, "Region": region, "Status": status, "AccountGateResult": {"Status": "SKIPPED", "StatusReason": "No account gate"}}
        if result and result.get("StatusReason"):
            entry["StatusReason"] = result["StatusReason"]
        if unit:
            entry["OrganizationalUnitId"] = unit
        results.append(entry)
    for name, value in _filters(self):
        if name == "OPERATION_RESULT_STATUS":
            results = [r for r in results if r["Status"] == value]
    page, token = _page(self, results)
    return ActionResult({"Summaries": page, **({"NextToken": token} if token else {})})


def list_stack_instances(self: Any) -> ActionResult:
    stackset = _stackset(self)
    summaries = []
    for instance in stackset.instances.stack_instances:
        state = _state(stackset, instance.account_id, instance.region_name)
        summary = {
            "StackSetId": stackset.id,
            "Region": instance.region_name,
            "Account": instance.account_id,
            "Status": state["Status"],
            "StackInstanceStatus": {"DetailedStatus": state["DetailedStatus"]},
            "DriftStatus": state["DriftStatus"],
        }
        if not isinstance(instance, FailedInstance):
            summary["StackId"] = f"arn:aws:cloudformation:{instance.region_name}:{instance.account_id}:stack/StackSet-{stackset.name}/{stackset.id}"
        for key in ("StatusReason", "LastDriftCheckTimestamp", "LastOperationId"):
            if state.get(key):
                summary[key] = state[key]
        if state.get("Unit"):
            summary["OrganizationalUnitId"] = state["Unit"]
        summaries.append(summary)
    for name, value in _filters(self):
        if name == "DETAILED_STATUS":
            summaries = [s for s in summaries if s["StackInstanceStatus"]["DetailedStatus"] == value]
        elif name == "DRIFT_STATUS":
            summaries = [s for s in summaries if s["DriftStatus"] == value]
        elif name == "LAST_OPERATION_ID":
            summaries = [s for s in summaries if s.get("LastOperationId") == value]
    page, token = _page(self, summaries)
    return ActionResult({"Summaries": page, **({"NextToken": token} if token else {})})


def list_stack_instance_resource_drifts(self: Any) -> ActionResult:
    stackset = _stackset(self)
    key = (stackset.id, self._get_param("StackInstanceAccount"), self._get_param("StackInstanceRegion"), self._get_param("OperationId"))
    if key not in DRIFTS:
        raise StackInstanceNotFoundException(f"No drift results for {key[1]}/{key[2]} in operation {key[3]}")
    drifts = DRIFTS[key]
    wanted = self._get_param("StackInstanceResourceDriftStatuses") or []
    if wanted:
        drifts = [d for d in drifts if d["StackResourceDriftStatus"] in wanted]
    page, token = _page(self, drifts)
    return ActionResult({"Summaries": page, **({"NextToken": token} if token else {})})


_stock_describe_stack_set = CloudFormationResponse.describe_stack_set


def describe_stack_set(self: Any) -> ActionResult:
    """Adds StackSetDriftDetectionDetails: the last drift detection that completed."""
    stackset = _stackset(self)
    operation_id = getattr(stackset, "_drift_operation", None)
    details = {"DriftStatus": "NOT_CHECKED"}
    if operation_id:
        operation = _operation(stackset, operation_id)
        if operation["Status"] in ("SUCCEEDED", "FAILED", "STOPPED"):
            states = [_state(stackset, i.account_id, i.region_name) for i in stackset.instances.stack_instances]
            drifted = sum(1 for s in states if s["DriftStatus"] == "DRIFTED")
            in_sync = sum(1 for s in states if s["DriftStatus"] == "IN_SYNC")
            details = {
                "DriftStatus": "DRIFTED" if drifted else "IN_SYNC",
                "DriftDetectionStatus": "COMPLETED" if operation["Status"] == "SUCCEEDED" else "FAILED",
                "LastDriftCheckTimestamp": operation.get("EndTimestamp"),
                "TotalStackInstancesCount": len(states),
                "DriftedStackInstancesCount": drifted,
                "InSyncStackInstancesCount": in_sync,
                "InProgressStackInstancesCount": 0,
                "FailedStackInstancesCount": len(states) - drifted - in_sync,
            }
    stackset.stack_set_drift_detection_details = details
    return _stock_describe_stack_set(self)


# --- Automatic deployment -------------------------------------------------------------------
# AWS (StackSets user guide, "Enable or disable automatic deployments"): with AutoDeployment
# Enabled, an account added to a targeted unit (or moved into one) gets the set's stack by an
# operation of the set's own, queued behind a running one; an account that leaves every targeted
# unit loses it unless RetainStacksOnAccountRemoval. Operation preferences do not apply to these.
# An account filter given at creation names accounts known then: a new account in a targeted unit
# is deployed to whatever the filter was.


def _auto_sets(org: Any) -> list[Any]:
    from moto.cloudformation.models import cloudformation_backends

    management = org.org.master_account_id if org.org else None
    # The management account's sets, and those of delegated administrators (their accounts' backends).
    owners = [management] + [admin.account.id for admin in getattr(org, "admins", [])] if management else []
    sets = []
    for region, backend in [(r, b) for owner in owners for r, b in cloudformation_backends.get(owner, {}).items()]:
        for stackset in backend.stacksets.values():
            auto = getattr(stackset, "auto_deployment", None) or {}
            if stackset.status != "DELETED" and stackset.permission_model == "SERVICE_MANAGED" and auto.get("Enabled"):
                sets.append(stackset)
    return sets


def _account_changed(org: Any, account_id: str) -> None:
    management = org.org.master_account_id if org.org else None
    for stackset in _auto_sets(org):
        units = getattr(stackset, "_auto_units", set())
        regions = sorted(getattr(stackset, "_auto_regions", set()))
        covering = _targeted(stackset, {"OrganizationalUnitIds": sorted(units)}, skip_management=True)
        unit = next((u for a, u in covering if a == account_id), None)
        has = [r for r in regions if _instance(stackset, account_id, r) is not None]
        if unit is not None and account_id != management and len(has) < len(regions):
            targets = [(account_id, r, unit) for r in regions if r not in has]
            _start(stackset, "CREATE", targets, _create_work, {}, queue=True)
        elif unit is None and has and not stackset.auto_deployment.get("RetainStacksOnAccountRemoval"):
            targets = [(account_id, r, None) for r in has]
            _start(stackset, "DELETE", targets, _delete_work, {}, queue=True)


def _install_automatic_deployment() -> None:
    from moto.organizations.models import OrganizationsBackend

    stock_move = OrganizationsBackend.move_account
    stock_create = OrganizationsBackend.create_account

    def move_account(self: Any, **kwargs: Any) -> None:
        stock_move(self, **kwargs)
        _account_changed(self, kwargs["AccountId"])

    def create_account(self: Any, **kwargs: Any) -> dict[str, Any]:
        status = stock_create(self, **kwargs)
        _account_changed(self, status["CreateAccountStatus"]["AccountId"])
        return status

    stock_remove = OrganizationsBackend.remove_account_from_organization

    def remove_account_from_organization(self: Any, **kwargs: str) -> None:
        stock_remove(self, **kwargs)
        _account_changed(self, kwargs["AccountId"])

    OrganizationsBackend.move_account = move_account
    OrganizationsBackend.create_account = create_account
    OrganizationsBackend.remove_account_from_organization = remove_account_from_organization


def _keeping_auto_deployment(stock: Any) -> Any:
    """AWS keeps what CreateStackSet / UpdateStackSet set as AutoDeployment, and DescribeStackSet returns it; stock moto drops it."""

    def action(self: Any) -> Any:
        result = stock(self)
        auto = self._get_params().get("AutoDeployment")
        if auto is not None:
            stackset = self.cloudformation_backend.describe_stack_set(self._get_param("StackSetName"))
            stackset.auto_deployment = {
                "Enabled": str(auto.get("Enabled", "false")).lower() == "true",
                "RetainStacksOnAccountRemoval": str(auto.get("RetainStacksOnAccountRemoval", "false")).lower() == "true",
            }
        return result

    return action


def install() -> None:
    _install_automatic_deployment()
    for name, handler in [
        ("create_stack_instances", create_stack_instances),
        ("update_stack_instances", update_stack_instances),
        ("delete_stack_instances", delete_stack_instances),
        ("update_stack_set", update_stack_set),
        ("detect_stack_set_drift", detect_stack_set_drift),
        ("describe_stack_set_operation", describe_stack_set_operation),
        ("list_stack_set_operations", list_stack_set_operations),
        ("stop_stack_set_operation", stop_stack_set_operation),
        ("list_stack_set_operation_results", list_stack_set_operation_results),
        ("list_stack_instances", list_stack_instances),
        ("list_stack_instance_resource_drifts", list_stack_instance_resource_drifts),
        ("describe_stack_set", describe_stack_set),
    ]:
        setattr(CloudFormationResponse, name, handler)
    CloudFormationResponse.create_stack_set = _keeping_auto_deployment(CloudFormationResponse.create_stack_set)
    CloudFormationResponse.update_stack_set = _keeping_auto_deployment(CloudFormationResponse.update_stack_set)
