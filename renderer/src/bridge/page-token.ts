/**
 * The browser host's per-launch token, as the page holds it. `orgconnect serve` prints (or opens) a URL with
 * `?token=…`; at start the page takes it from there, removes it from the address bar and the history entry
 * (history.replaceState), and keeps it in sessionStorage so a reload of this tab still works. sessionStorage is
 * per tab and per origin (port included), unlike a cookie, which every server on 127.0.0.1 would receive.
 */
const STORAGE_KEY = 'orgconnect.token';

let token: string | undefined;

/** Call once at page start, before anything renders or connects. */
export function takeTokenFromLocation(): void {
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl !== null) {
    url.searchParams.delete('token');
    window.history.replaceState(window.history.state, '', url.pathname + url.search + url.hash);
    if (fromUrl !== '') {
      token = fromUrl;
      safeStorage()?.setItem(STORAGE_KEY, fromUrl);
      return;
    }
  }
  token = safeStorage()?.getItem(STORAGE_KEY) ?? undefined;
}

export function pageToken(): string | undefined {
  return token;
}

function safeStorage(): Storage | undefined {
  try {
    return window.sessionStorage;
  } catch {
    // Storage can be disabled; the token then lives only as long as this page.
    return undefined;
  }
}
