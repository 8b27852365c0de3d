/**
 * Next moves focus to the first problem and scrolls it into view: the message at the top of the page is easy to
 * miss, the field or row itself is not.
 */
import type { SettingsErrors } from './steps/settings/settings-validation.js';

/** The Settings fields in page order, by the aria-label of their input. */
const SETTINGS_FIELDS: readonly [keyof SettingsErrors, string][] = [
  ['platformAccountId', 'Platform AWS account'],
  ['externalId', 'External ID'],
  ['roleName', 'Role name'],
  ['accessRoleName', 'Access role'],
  ['ssoRoleName', 'Permission set'],
  ['costAndUsageReportBucket', 'Cost and Usage Report bucket'],
  ['concurrency', 'Concurrency'],
];

export function focusElement(selector: string): boolean {
  const element = document.querySelector<HTMLElement>(selector);
  if (!element) return false;
  element.scrollIntoView({ block: 'center' });
  element.focus();
  return true;
}

/** After the current render: the field or row is on the page once React has shown the errors. */
export function focusSoon(selector: string): void {
  requestAnimationFrame(() => focusElement(selector));
}

export function focusFirstSettingsError(errors: SettingsErrors): void {
  const first = SETTINGS_FIELDS.find(([field]) => errors[field] !== undefined);
  if (first) focusSoon(`input[aria-label="${first[1]}"]`);
}
