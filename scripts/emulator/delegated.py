"""A delegated administrator, as AWS has it (Organizations and CloudFormation API references).

moto 5.2.5 lets any member account list the roots and nothing below them, and ignores CallAs. AWS:
- an account registered as a delegated administrator (RegisterDelegatedAdministrator, for any
  service) may call Organizations' read operations on the whole organization; any other member
  account is refused them (AccessDeniedException);
- a service-managed StackSet made from such an account lives there and is reached only with
  CallAs DELEGATED_ADMIN, and only by an account registered for StackSets
  (member.org.stacksets.cloudformation.amazonaws.com); calls without it do not see the set
  (StackSetNotFoundException); the units and accounts it targets are the organization's.
"""
from __future__ import annotations

from typing import Any

from moto.cloudformation.exceptions import StackSetNotFoundException, ValidationError
from moto.cloudformation.responses import CloudFormationResponse
from moto.core.exceptions import ServiceException
from moto.organizations.models import organizations_backends
from moto.organizations.responses import OrganizationsResponse

STACKSETS = "member.org.stacksets.cloudformation.amazonaws.com"
# Organizations' reads a delegated administrator may make, and the tree reads a plain member may not.
READS = {
    "ListRoots",
    "ListOrganizationalUnitsForParent",
    "ListAccountsForParent",
    "ListChildren",
    "ListAccounts",
    "DescribeAccount",
    "DescribeOrganizationalUnit",
    "ListAWSServiceAccessForOrganization",
    "ListDelegatedAdministrators",
    "ListParents",
}


class AccessDeniedException(ServiceException):
    code = "AccessDeniedException"


def management_backend(account: str, partition: str) -> Any | None:
    """The organization's backend for a member account; None for the management account or an outsider."""
    owner = organizations_backends.master_accounts.get(account)
    if owner is None or owner[0] == account:
        return None
    return organizations_backends[owner[0]][owner[1]]


def delegated_for(account: str, partition: str) -> set[str]:
    management = management_backend(account, partition)
    if management is None:
        return set()
    admin = next((a for a in management.admins if a.account.id == account), None)
    return set(admin.services) if admin else set()


def _organizations() -> None:
    stock = OrganizationsResponse.organizations_backend

    def backend(self: Any) -> Any:
        own = stock.fget(self)  # type: ignore[attr-defined]
        action = self._get_action()
        if own.org is None and action in READS:
            management = management_backend(self.current_account, self.partition)
            if management is not None:
                if not delegated_for(self.current_account, self.partition):
                    raise AccessDeniedException("You don't have permissions to access this resource.")
                return management
        return own

    OrganizationsResponse.organizations_backend = property(backend)  # type: ignore[method-assign,assignment]


def org_backend_of(account: str, partition: str) -> Any:
    """The organization a stack set in this account targets: its own, or, for a delegated administrator, the management account's."""
    return management_backend(account, partition) or organizations_backends[account][partition]


def check_call_as(self: Any, stackset: Any | None) -> None:
    """CallAs as AWS reads it, for service-managed sets."""
    call_as = self._get_param("CallAs") or "SELF"
    account = self.current_account
    member = management_backend(account, self.partition) is not None
    if call_as == "DELEGATED_ADMIN" and STACKSETS not in delegated_for(account, self.partition):
        raise ValidationError(message=f"Account {account} is not registered as a delegated administrator for CloudFormation StackSets")
    if stackset is not None and getattr(stackset, "_call_as", "SELF") == "DELEGATED_ADMIN" and call_as != "DELEGATED_ADMIN":
        raise StackSetNotFoundException(stackset.name)
    if stackset is None and member and call_as != "DELEGATED_ADMIN" and self._get_param("PermissionModel") == "SERVICE_MANAGED":
        raise ValidationError(message="Service-managed StackSets can be created only by the management account, or with CallAs DELEGATED_ADMIN by a delegated administrator")


def _cloudformation() -> None:
    stock_create = CloudFormationResponse.create_stack_set
    stock_delete = CloudFormationResponse.delete_stack_set

    def create_stack_set(self: Any) -> Any:
        check_call_as(self, None)
        result = stock_create(self)
        stackset = self.cloudformation_backend.describe_stack_set(self._get_param("StackSetName"))
        stackset._call_as = self._get_param("CallAs") or "SELF"
        return result

    def delete_stack_set(self: Any) -> Any:
        stackset = self.cloudformation_backend.describe_stack_set(self._get_param("StackSetName"))
        check_call_as(self, stackset)
        return stock_delete(self)

    CloudFormationResponse.create_stack_set = create_stack_set
    CloudFormationResponse.delete_stack_set = delete_stack_set


def install() -> None:
    from moto.organizations.models import FakeDelegatedAdministrator

    # AWS registers StackSets' delegated administrators under this principal (CloudFormation user
    # guide, "Register a delegated administrator"); moto's list of such services lacks it.
    if STACKSETS not in FakeDelegatedAdministrator.SUPPORTED_SERVICES:
        FakeDelegatedAdministrator.SUPPORTED_SERVICES.append(STACKSETS)
    _organizations()
    _cloudformation()
