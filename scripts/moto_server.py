"""Starts the moto AWS emulator for the tests and the demo.

See also the StackSets section below: moto's service-managed StackSets, completed with AWS's
documented targeting.

moto 5.2.5 does not implement IAM's AddClientIDToOpenIDConnectProvider nor
RemoveClientIDFromOpenIDConnectProvider. This launcher adds those two actions to moto's own
IAM backend, with AWS's documented semantics (add or remove one client ID of the provider's
ClientIDList; adding one already present or removing one absent is a no-op; NoSuchEntity
for an unknown ARN), then starts moto's unchanged server. Everything else is stock moto.
"""
import sys

from moto.core.responses import EmptyResult
from moto.iam.responses import IamResponse
from moto.server import main


def add_client_id_to_open_id_connect_provider(self):  # type: ignore[no-untyped-def]
    arn = self._get_param("OpenIDConnectProviderArn")
    client_id = self._get_param("ClientID")
    provider = self.backend.get_open_id_connect_provider(arn)
    if client_id not in provider.client_id_list:
        provider.client_id_list.append(client_id)
    return EmptyResult()


def remove_client_id_from_open_id_connect_provider(self):  # type: ignore[no-untyped-def]
    arn = self._get_param("OpenIDConnectProviderArn")
    client_id = self._get_param("ClientID")
    provider = self.backend.get_open_id_connect_provider(arn)
    if client_id in provider.client_id_list:
        provider.client_id_list.remove(client_id)
    return EmptyResult()


# --- Service-managed StackSets -------------------------------------------------------------
# moto 5.2.5 maps a targeted unit to the accounts of it and its direct children only, ignores
# DeploymentTargets' Accounts and AccountFilterType, deploys to the management account, and
# deletes instances only by a top-level Accounts list. AWS's documented behaviour, applied here:
# a unit (or root) covers every unit nested under it; AccountFilterType NONE / INTERSECTION /
# DIFFERENCE / UNION combines the units' accounts with DeploymentTargets.Accounts; a
# service-managed StackSet never deploys to the management account; DeleteStackInstances takes
# the same DeploymentTargets. Operations still complete at once, as in stock moto.
from moto.cloudformation.models import StackInstances  # noqa: E402
from moto.cloudformation.responses import CloudFormationResponse  # noqa: E402


def _targeted_accounts(org_backend, deployment_targets, skip_management):  # type: ignore[no-untyped-def]
    units = set(deployment_targets.get("OrganizationalUnitIds", []))
    parent_of = {ou.id: ou.parent_id for ou in org_backend.ou}

    def under(unit_id):  # type: ignore[no-untyped-def]
        seen = set()
        while unit_id and unit_id not in seen:
            if unit_id in units:
                return True
            seen.add(unit_id)
            unit_id = parent_of.get(unit_id)
        return False

    in_units = [a.id for a in org_backend.accounts if under(a.parent_id)]
    listed = list(deployment_targets.get("Accounts", []))
    kind = deployment_targets.get("AccountFilterType", "NONE")
    if kind == "INTERSECTION":
        chosen = [a for a in in_units if a in listed]
    elif kind == "DIFFERENCE":
        chosen = [a for a in in_units if a not in listed]
    elif kind == "UNION":
        chosen = in_units + [a for a in listed if a not in in_units]
    else:
        chosen = in_units
    management = org_backend.org.master_account_id if org_backend.org else None
    return [a for a in chosen if not (skip_management and a == management)]


_stock_create_instances = StackInstances.create_instances


def create_instances(self, accounts, regions, parameters, deployment_targets, permission_model):  # type: ignore[no-untyped-def]
    if permission_model != "SERVICE_MANAGED" or not deployment_targets:
        return _stock_create_instances(self, accounts, regions, parameters, deployment_targets, permission_model)
    chosen = _targeted_accounts(self.org_backend, deployment_targets, skip_management=True)
    # The stock code targets top-level Accounts per region: hand it exactly the chosen ones.
    return _stock_create_instances(self, chosen, regions, parameters, {}, permission_model)


StackInstances.create_instances = create_instances

_stock_delete_stack_instances = CloudFormationResponse.delete_stack_instances


def delete_stack_instances(self):  # type: ignore[no-untyped-def]
    deployment_targets = self._get_params().get("DeploymentTargets")
    if not deployment_targets:
        return _stock_delete_stack_instances(self)
    stackset = self.cloudformation_backend.describe_stack_set(self._get_param("StackSetName"))
    org_backend = stackset.instances.org_backend
    accounts = _targeted_accounts(org_backend, deployment_targets, skip_management=False)
    stackset.delete_stack_instances(accounts, self._get_param("Regions", []))
    from moto.core.responses import ActionResult

    return ActionResult({"OperationId": stackset.operations[-1]["OperationId"]})


CloudFormationResponse.delete_stack_instances = delete_stack_instances

# AutoDeployment: stock moto drops it; AWS keeps what CreateStackSet / UpdateStackSet set and
# DescribeStackSet returns it (deploying to accounts that join later is not emulated).


def _keeping_auto_deployment(stock):  # type: ignore[no-untyped-def]
    def action(self):  # type: ignore[no-untyped-def]
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


CloudFormationResponse.create_stack_set = _keeping_auto_deployment(CloudFormationResponse.create_stack_set)
CloudFormationResponse.update_stack_set = _keeping_auto_deployment(CloudFormationResponse.update_stack_set)

for name, action in [
    ("add_client_id_to_open_id_connect_provider", add_client_id_to_open_id_connect_provider),
    ("remove_client_id_from_open_id_connect_provider", remove_client_id_from_open_id_connect_provider),
]:
    if not hasattr(IamResponse, name):
        setattr(IamResponse, name, action)

if __name__ == "__main__":
    main(sys.argv[1:])
