/** Field checks for the Settings step, the same rules the host applies (the contract parses them again). */
import { externalIdProblem } from '../../../../main/core/onboarding/external-id.js';
import type { Settings } from '../../store/wizard-state.js';

export type SettingsErrors = Partial<Record<keyof Settings, string>>;

const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;

export function settingsErrors(settings: Settings): SettingsErrors {
  const errors: SettingsErrors = {};
  if (!/^\d{12}$/.test(settings.platformAccountId)) {
    errors.platformAccountId = 'An AWS account id has exactly 12 digits.';
  }
  const external = externalIdProblem(settings.externalId);
  if (external) errors.externalId = external;
  if (settings.roleName !== '' && !ROLE_NAME.test(settings.roleName)) {
    errors.roleName = 'A role name has 1–64 letters, digits and + = , . @ - _ characters.';
  }
  if (settings.access === 'identity-center' && !/^[\w+=,.@-]{1,32}$/.test(settings.ssoRoleName)) {
    errors.ssoRoleName = 'A permission set name has 1–32 letters, digits and + = , . @ - _ characters.';
  }
  if (settings.access === 'manual' && settings.roleName === '' && settings.rolesCsv === '') {
    errors.roleName = 'Name the role you created in every account, or choose a roles file.';
  }
  if (settings.rolePath !== '' && !/^\/([\x21-\x7E]*\/)?$/.test(settings.rolePath)) {
    errors.rolePath = 'A role path starts and ends with a slash, e.g. / or /cloudzero/.';
  }
  if (
    (settings.access === 'access-role' || settings.access === 'manual') &&
    !ROLE_NAME.test(settings.accessRoleName)
  ) {
    errors.accessRoleName = 'A role name has 1–64 letters, digits and + = , . @ - _ characters.';
  }
  if (
    settings.costAndUsageReportBucket !== '' &&
    !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(settings.costAndUsageReportBucket)
  ) {
    errors.costAndUsageReportBucket =
      'An S3 bucket name has 3–63 lowercase letters, digits, dots and hyphens, and starts and ends with a letter or digit.';
  }
  if (!Number.isInteger(settings.concurrency) || settings.concurrency < 1 || settings.concurrency > 64) {
    errors.concurrency = 'Concurrency is a whole number from 1 to 64.';
  }
  return errors;
}
