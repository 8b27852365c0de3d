"""AWS::IAM::Role as AWS CloudFormation builds it, for moto 5.2.5's CloudFormation.

moto's own handlers (moto/iam/models.py, Role.*_from_cloudformation_json) differ from AWS in ways the product
checks, so a sandbox connection looked broken where AWS's would be healthy:
  - ManagedPolicyArns is ignored on create and update;
  - Policies given as objects are stored as a Python repr, so GetRolePolicy returns `{'Version': ...}`, not JSON;
  - an update changes only Description (and sets MaxSessionDuration from the wrong property): the trust policy,
    inline and managed policies, tags and permissions boundary stay as they were;
  - deleting the stack fails once managed policies are attached (they are never detached).
Each function below follows the AWS::IAM::Role resource reference
(https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-iam-role.html); the behaviours are
pinned by test/integration/moto-fidelity.test.ts. Generic: nothing here knows orgconnect's templates.
"""

from __future__ import annotations

import json
from typing import Any

from moto.core.common_models import CloudFormationModel
from moto.iam.models import IAMBackend, Role, iam_backends
from moto.cloudformation.exceptions import ValidationError
from moto.utilities.utils import get_partition

from .aws_managed_policies import ensure_aws_managed_policy


def _as_json(document: Any) -> str:
    """CloudFormation accepts a policy document as an object or a JSON string; IAM stores JSON either way."""
    if isinstance(document, str):
        return document
    return json.dumps(document)


def _backend(account_id: str, region_name: str) -> IAMBackend:
    return iam_backends[account_id][get_partition(region_name)]


def _inline_policies(properties: dict[str, Any]) -> dict[str, str]:
    return {p["PolicyName"]: _as_json(p["PolicyDocument"]) for p in properties.get("Policies") or []}


def _managed_policy_arns(properties: dict[str, Any]) -> list[str]:
    return list(dict.fromkeys(properties.get("ManagedPolicyArns") or []))


def _attach(backend: IAMBackend, role: Role, arn: str) -> None:
    ensure_aws_managed_policy(backend, arn)
    # IAM's AttachRolePolicy fails for an ARN that does not exist, and so does the stack (CREATE_FAILED).
    backend.attach_role_policy(arn, role.name)


def _set_policies(backend: IAMBackend, role: Role, properties: dict[str, Any]) -> None:
    """Make the role's inline and managed policies exactly what the template declares ("Update requires: No
    interruption" for Policies and ManagedPolicyArns): add and replace what it lists, remove what it no longer
    lists."""
    wanted_inline = _inline_policies(properties)
    for name in [n for n in role.policies if n not in wanted_inline]:
        role.delete_policy(name)
    for name, document in wanted_inline.items():
        backend.put_role_policy(role.name, name, document)
    wanted_managed = _managed_policy_arns(properties)
    for arn in [a for a in role.managed_policies if a not in wanted_managed]:
        backend.detach_role_policy(arn, role.name)
    for arn in wanted_managed:
        if arn not in role.managed_policies:
            _attach(backend, role, arn)


def _tags(properties: dict[str, Any]) -> list[dict[str, str]]:
    return list(properties.get("Tags") or [])


def create_role(
    cls: type[Role],
    resource_name: str,
    cloudformation_json: dict[str, Any],
    account_id: str,
    region_name: str,
    **kwargs: Any,
) -> Role:
    properties = cloudformation_json["Properties"]
    backend = _backend(account_id, region_name)
    role = backend.create_role(
        role_name=properties.get("RoleName", resource_name),
        assume_role_policy_document=_as_json(properties["AssumeRolePolicyDocument"]),
        path=properties.get("Path", "/"),
        permissions_boundary=properties.get("PermissionsBoundary", ""),
        description=properties.get("Description", ""),
        tags=_tags(properties),
        max_session_duration=properties.get("MaxSessionDuration", 3600),
    )
    try:
        _set_policies(backend, role, properties)
    except Exception:
        # A resource that fails to create leaves nothing behind in AWS.
        _remove_role(backend, role.name)
        raise
    return role


def _requires_replacement(original: Role, new_name: str, properties: dict[str, Any]) -> bool:
    # RoleName and Path: "Update requires: Replacement".
    return new_name != original.name or properties.get("Path", "/") != original.path


def update_role(
    cls: type[Role],
    original_resource: Role,
    new_resource_name: str,
    cloudformation_json: dict[str, Any],
    account_id: str,
    region_name: str,
) -> Role:
    properties = cloudformation_json["Properties"]
    backend = _backend(account_id, region_name)
    if _requires_replacement(original_resource, new_resource_name, properties):
        if "RoleName" in properties and properties["RoleName"] == original_resource.name:
            # RoleName: "If you specify a name, you cannot perform updates that require replacement of this
            # resource."
            raise ValidationError(
                message=(
                    "CloudFormation cannot update a stack when a custom-named resource requires replacing. "
                    f"Rename {original_resource.name} and update the stack again."
                ),
            )
        replacement = create_role(cls, new_resource_name, cloudformation_json, account_id, region_name)
        _remove_role(backend, original_resource.name)
        return replacement
    role = original_resource
    # AssumeRolePolicyDocument, Description, MaxSessionDuration, PermissionsBoundary, Policies,
    # ManagedPolicyArns, Tags: "Update requires: No interruption".
    backend.update_assume_role_policy(role.name, _as_json(properties["AssumeRolePolicyDocument"]))
    backend.update_role(role.name, properties.get("Description", ""), properties.get("MaxSessionDuration", 3600))
    boundary = properties.get("PermissionsBoundary")
    if boundary:
        backend.put_role_permissions_boundary(role.name, boundary)
    else:
        backend.delete_role_permissions_boundary(role.name)
    role.tags = [t for t in backend._tag_verification(_tags(properties)).values()]
    _set_policies(backend, role, properties)
    return role


def _remove_role(backend: IAMBackend, role_name: str) -> None:
    """Delete a role the stack made, with the policies on it and its instance-profile memberships (IAM refuses
    DeleteRole while any remain)."""
    try:
        role = backend.get_role(role_name)
    except Exception:
        return  # already gone: deleting a deleted resource succeeds in CloudFormation
    for name in list(role.policies):
        role.delete_policy(name)
    for arn in list(role.managed_policies):
        backend.detach_role_policy(arn, role_name)
    for profile in backend.instance_profiles.values():
        profile.delete_role(role_name=role_name)
    for policy in backend.inline_policies.values():
        policy.role_names = [n for n in policy.role_names if n != role_name]
    backend.delete_role(role_name)


def delete_role(
    cls: type[Role],
    resource_name: str,
    cloudformation_json: dict[str, Any],
    account_id: str,
    region_name: str,
) -> None:
    _remove_role(_backend(account_id, region_name), resource_name)


def install() -> None:
    Role.create_from_cloudformation_json = classmethod(create_role)  # type: ignore[method-assign,assignment]
    Role.update_from_cloudformation_json = classmethod(update_role)  # type: ignore[method-assign,assignment]
    Role.delete_from_cloudformation_json = classmethod(delete_role)  # type: ignore[method-assign,assignment]
    assert issubclass(Role, CloudFormationModel)
