"""Starts the moto AWS emulator for the tests and the demo.

See also emulator/stacksets.py: moto's service-managed StackSets, completed with AWS's documented
targeting, operations that run and fail, paging and drift detection; emulator/delegated.py: a
delegated administrator's reads and CallAs; emulator/rolesanywhere.py: IAM Roles Anywhere, which
moto lacks, from AWS's API model; and emulator/control.py: the
faults a test chooses (POST /_emulator/...), reset with moto.

moto 5.2.5 does not implement IAM's AddClientIDToOpenIDConnectProvider nor
RemoveClientIDFromOpenIDConnectProvider. This launcher adds those two actions to moto's own
IAM backend, with AWS's documented semantics (add or remove one client ID of the provider's
ClientIDList; adding one already present or removing one absent is a no-op; NoSuchEntity
for an unknown ARN), then starts moto's server. Everything else is stock moto.
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


# --- Service-managed StackSets: operations, failures and drift as AWS runs them (emulator/stacksets.py).
from emulator import control, delegated, rolesanywhere, stacksets  # noqa: E402

stacksets.install()
delegated.install()
rolesanywhere.install()
control.install()


for name, action in [
    ("add_client_id_to_open_id_connect_provider", add_client_id_to_open_id_connect_provider),
    ("remove_client_id_from_open_id_connect_provider", remove_client_id_from_open_id_connect_provider),
]:
    if not hasattr(IamResponse, name):
        setattr(IamResponse, name, action)

if __name__ == "__main__":
    main(sys.argv[1:])
