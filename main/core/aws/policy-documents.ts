/**
 * Reading IAM policy documents as IAM returns them (URL-encoded JSON) and pulling out what the role checks
 * compare: who is trusted, with which External ID, and which actions each statement allows.
 */
import { createHash } from 'node:crypto';

export type PolicyStatement = Record<string, unknown>;

export interface PolicyDocument {
  Statement: PolicyStatement[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** IAM returns documents URL-encoded; CloudFormation or a test may hand over plain JSON or an object. */
export function parsePolicyDocument(raw: unknown): PolicyDocument | undefined {
  let value: unknown = raw;
  if (typeof raw === 'string') {
    let text = raw;
    if (!text.trimStart().startsWith('{')) {
      try {
        text = decodeURIComponent(text);
      } catch {
        return undefined;
      }
    }
    try {
      value = JSON.parse(text);
    } catch {
      return undefined;
    }
  }
  if (!isRecord(value)) return undefined;
  const statement = value['Statement'];
  const list = Array.isArray(statement) ? statement : statement === undefined ? [] : [statement];
  return { Statement: list.filter(isRecord) };
}

export function asList(value: unknown): unknown[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/** The account id a principal names: `123456789012`, `arn:aws:iam::123456789012:root` (or a role/user in it). */
export function principalAccountId(principal: string): string | undefined {
  if (/^\d{12}$/.test(principal)) return principal;
  return /^arn:aws[a-z-]*:(?:iam|sts)::(\d{12}):/.exec(principal)?.[1];
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The `sts:ExternalId` values a statement's conditions require (any operator spelled StringEquals / StringLike). */
export function externalIdValues(statement: PolicyStatement): string[] {
  const condition = statement['Condition'];
  if (!isRecord(condition)) return [];
  const values: string[] = [];
  for (const [operator, block] of Object.entries(condition)) {
    if (!/^String(Equals|Like)$/i.test(operator) || !isRecord(block)) continue;
    for (const [key, value] of Object.entries(block)) {
      if (key.toLowerCase() === 'sts:externalid')
        values.push(...asList(value).filter((v): v is string => typeof v === 'string'));
    }
  }
  return values;
}

/** Actions as a lower-cased set, so `ce:Get*` and `ce:get*` compare equal (IAM is case-insensitive here). */
export function actionSet(statement: PolicyStatement): Set<string> {
  return new Set(
    asList(statement['Action'])
      .filter((a): a is string => typeof a === 'string')
      .map((a) => a.toLowerCase()),
  );
}
