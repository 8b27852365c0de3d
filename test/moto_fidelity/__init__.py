"""The sandbox's fidelity layer: small patches that make moto behave like AWS where orgconnect depends on it.
Loaded by server.py before moto's server starts; see iam_role.py for what differs and why."""

from . import access_key_index, aws_managed_policies, iam_role, stack_updates


def install() -> None:
    access_key_index.install()
    aws_managed_policies.install()
    iam_role.install()
    stack_updates.install()
