/**
 * Parameters and tags as CloudFormation takes them, and the two tags that say what a stack (or StackSet) was
 * deployed with: the sha256 of the template body and of the inputs (parameters + caller tags). DescribeStacks
 * masks NoEcho parameters (the External ID) as `****`, so comparing parameter values cannot work; a hash can.
 * The hash of a low-entropy External ID could be guessed offline by someone who can read the stack's tags in
 * that account — the same exposure the run journal's fingerprint has, and far less than the template's own
 * parameter.
 */
import { createHash } from 'node:crypto';
import type { Parameter, Stack, Tag } from '@aws-sdk/client-cloudformation';

export const TEMPLATE_SHA_TAG = 'orgconnect:template-sha256';
export const INPUTS_SHA_TAG = 'orgconnect:inputs-sha256';

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export function parameterList(parameters: Readonly<Record<string, string>>): Parameter[] {
  return Object.entries(parameters).map(([ParameterKey, ParameterValue]) => ({
    ParameterKey,
    ParameterValue,
  }));
}

export function tagList(tags: Readonly<Record<string, string>>): Tag[] {
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}

/** A stack's (or StackSet's) tags by key. */
export function tagsOf(resource: { Tags?: Tag[] | undefined }): Map<string | undefined, string | undefined> {
  return new Map((resource.Tags ?? []).map((tag) => [tag.Key, tag.Value]));
}

function canonicalPairs(record: Readonly<Record<string, string>>): [string, string][] {
  return Object.keys(record)
    .sort()
    .map((key) => [key, record[key] ?? '']);
}

/**
 * The two tags that identify what a stack was deployed with. Exported so the plan can tell "update" from
 * "skip" exactly the way the deployer will.
 */
export function stackInputTags(input: {
  templateBody: string;
  parameters: Readonly<Record<string, string>>;
  tags?: Readonly<Record<string, string>>;
}): Record<string, string> {
  const inputs = JSON.stringify({
    parameters: canonicalPairs(input.parameters),
    tags: canonicalPairs(input.tags ?? {}),
  });
  return { [TEMPLATE_SHA_TAG]: sha256Hex(input.templateBody), [INPUTS_SHA_TAG]: sha256Hex(inputs) };
}

/** True when the stack carries the same input tags (so it was deployed from the same template and inputs). */
export function stackMatchesInputs(stack: Pick<Stack, 'Tags'>, expected: Record<string, string>): boolean {
  const tags = tagsOf(stack);
  return (
    tags.get(TEMPLATE_SHA_TAG) === expected[TEMPLATE_SHA_TAG] &&
    tags.get(INPUTS_SHA_TAG) === expected[INPUTS_SHA_TAG]
  );
}
