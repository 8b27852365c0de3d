"""AWS managed policies exist in every AWS account. moto creates all ~1,300 of them in every account it emulates
only with MOTO_IAM_LOAD_MANAGED_POLICIES=true, which costs seconds and memory per account in a 40-account sandbox;
here an AWS managed policy is created in an account the first time something names it."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from typing import Any

from moto.iam.aws_managed_policies import aws_managed_policies_data
from moto.iam.models import AWSManagedPolicy, IAMBackend

_AWS_MANAGED_ARN = re.compile(r"^arn:[\w-]+:iam::aws:policy(?P<path>/(?:[^/]+/)*)(?P<name>[^/]+)$")


@lru_cache(maxsize=1)
def _catalogue() -> dict[str, Any]:
    return json.loads(aws_managed_policies_data)


def ensure_aws_managed_policy(backend: IAMBackend, arn: str) -> None:
    if arn in backend.managed_policies:
        return
    match = _AWS_MANAGED_ARN.match(arn)
    if not match:
        return
    data = _catalogue().get(match["name"])
    if data is None or data.get("Path", "/") != match["path"]:
        return  # not an AWS managed policy: IAM answers NoSuchEntity, as AWS does
    policy = AWSManagedPolicy.from_data(match["name"], backend.account_id, backend.region_name, data)
    backend.managed_policies[policy.arn] = policy


def install() -> None:
    """IAM calls that name a policy by ARN see AWS managed policies as present."""
    for method_name in (
        "attach_role_policy",
        "attach_user_policy",
        "attach_group_policy",
        "get_policy",
        "get_policy_version",
    ):
        original = getattr(IAMBackend, method_name)

        def with_aws_managed(self: IAMBackend, *args: Any, _original: Any = original, **kwargs: Any) -> Any:
            arn = kwargs.get("policy_arn", args[0] if args else None)
            if isinstance(arn, str):
                ensure_aws_managed_policy(self, arn)
            return _original(self, *args, **kwargs)

        setattr(IAMBackend, method_name, with_aws_managed)
