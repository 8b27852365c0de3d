/**
 * shell.openExternal hands a URL to the operating system; a renderer that could choose it could launch any
 * protocol handler. So only https URLs the app itself produced (an IAM Identity Center sign-in page, a docs
 * link) are opened, and each only if it was registered first.
 */
export interface ExternalLinks {
  /** Registers a URL the app produced; returns false (and registers nothing) for anything but https. */
  allow(url: string): boolean;
  isAllowed(url: string): boolean;
}

export function createExternalLinks(): ExternalLinks {
  const allowed = new Set<string>();
  const normalize = (url: string): string | undefined => {
    try {
      const parsed = new URL(url);
      return parsed.protocol === 'https:' && parsed.username === '' && parsed.password === ''
        ? parsed.href
        : undefined;
    } catch {
      return undefined;
    }
  };
  return {
    allow(url) {
      const href = normalize(url);
      if (href === undefined) return false;
      allowed.add(href);
      return true;
    },
    isAllowed(url) {
      const href = normalize(url);
      return href !== undefined && allowed.has(href);
    },
  };
}

/**
 * The links a sign-in prompt shows: the device-code page with the code filled in (url) and the page where the code
 * is typed (verificationUri), which the Connect step links to. Both are registered (https only, as allow() checks).
 */
export function allowLoginPromptLinks(
  links: ExternalLinks,
  prompt: { url: string; verificationUri?: string | undefined },
): void {
  links.allow(prompt.url);
  if (prompt.verificationUri !== undefined) links.allow(prompt.verificationUri);
}
