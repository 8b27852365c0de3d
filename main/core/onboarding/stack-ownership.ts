/**
 * Is this stack orgconnect's? Only stacks orgconnect created may be deleted by it: a stack named
 * orgconnect-resource that lacks the tags the deployer writes at create (`orgconnect:kind` for its kind and the
 * template hash) was made by someone else, and deleting it could remove their roles.
 */
import type { Stack } from '@aws-sdk/client-cloudformation';
import { TEMPLATE_SHA_TAG, tagsOf } from '../cloudformation/index.js';
import { OrgConnectError } from '../errors.js';
import { KIND_TAG } from './plan.js';
import type { TemplateKind } from './templates.js';

export function stackOwnershipProblem(
  stack: Pick<Stack, 'StackName' | 'Tags'>,
  kind: TemplateKind,
  accountId: string,
): OrgConnectError | undefined {
  const tags = tagsOf(stack);
  const name = stack.StackName ?? 'the stack';
  const missing = [
    ...(tags.get(KIND_TAG) === kind ? [] : [`${KIND_TAG}=${kind}`]),
    ...(tags.get(TEMPLATE_SHA_TAG) ? [] : [TEMPLATE_SHA_TAG]),
  ];
  if (missing.length === 0) return undefined;
  return new OrgConnectError(
    'STACK_NOT_ORGCONNECT',
    `Stack ${name} in ${accountId} lacks orgconnect's tag${missing.length > 1 ? 's' : ''} ${missing.join(' and ')}: orgconnect did not create it, so it will not delete it.`,
    {
      fix: 'If the stack is yours to remove, delete it in the CloudFormation console; otherwise leave the account out with --exclude.',
    },
  );
}
