/** The platform's External ID, checked exactly as the templates' ExternalId parameter constrains it. */
import { OrgConnectError } from '../errors.js';

const EXTERNAL_ID_PATTERN = /^[\w+=,.@:/-]{2,1224}$/;

export function externalIdProblem(value: string): string | undefined {
  if (value.length < 2) return 'The External ID must be at least 2 characters long.';
  if (value.length > 1224) return 'The External ID must be at most 1224 characters long.';
  if (!EXTERNAL_ID_PATTERN.test(value)) {
    return 'The External ID may contain only letters, digits and + = , . @ : / - _ characters.';
  }
  return undefined;
}

export function assertValidExternalId(value: string): void {
  const problem = externalIdProblem(value);
  if (problem !== undefined) {
    throw new OrgConnectError('USAGE_EXTERNAL_ID_INVALID', problem, {
      fix: 'Copy the External ID exactly as the platform shows it on its "Connect AWS" page.',
    });
  }
}
