/**
 * Skipping the checks an emulator or some partitions cannot answer is opt-in and remembered per management
 * profile (in the renderer's localStorage: a profile name and a yes/no, nothing secret).
 */
export const SKIPPABLE = ['stack-drift', 'regions-sts', 'cur'] as const;

const key = (profile: string): string => `orgconnect.health.skip.${profile}`;

export function skipPreference(profile: string | undefined): boolean {
  if (!profile) return false;
  try {
    return window.localStorage.getItem(key(profile)) === 'yes';
  } catch {
    return false;
  }
}

export function rememberSkipPreference(profile: string | undefined, skip: boolean): void {
  if (!profile) return;
  try {
    if (skip) window.localStorage.setItem(key(profile), 'yes');
    else window.localStorage.removeItem(key(profile));
  } catch {
    // Storage off (private mode): the choice holds for this session only.
  }
}

/** The Health row's checks in one short phrase: "2 failing checks", "1 failing check · 1 unknown", "9 passed". */
export function checksPhrase(checks: readonly { status: string }[]): string {
  const failing = checks.filter((c) => c.status === 'fail' || c.status === 'warn').length;
  const unknown = checks.filter((c) => c.status === 'unknown').length;
  const skipped = checks.filter((c) => c.status === 'skipped').length;
  const parts: string[] = [];
  if (failing > 0) parts.push(`${failing} failing check${failing === 1 ? '' : 's'}`);
  if (unknown > 0) parts.push(`${unknown} unknown`);
  if (parts.length === 0) parts.push(`${checks.length - skipped} passed`);
  if (skipped > 0) parts.push(`${skipped} skipped`);
  return parts.join(' · ');
}
