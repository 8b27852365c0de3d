/** `ACCESS_ROLE_MISSING` → "Access role missing": a readable headline for errors that came without a title. */
export function titleFromCode(code: string): string {
  const words = code
    .toLowerCase()
    .split(/[_\s]+/)
    .filter(Boolean)
    .join(' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}
