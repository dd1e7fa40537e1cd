const STORAGE_KEY = 'serfbort:hub-url';

/** Normalizes what a person typed into a hub origin, or explains why not. */
export function parseHubUrl(
  text: string,
): { ok: true; url: string } | { ok: false; message: string } {
  let u: URL;
  try {
    u = new URL(text.trim());
  } catch {
    return { ok: false, message: 'enter a URL such as http://127.0.0.1:7700' };
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    return { ok: false, message: 'the hub URL starts with http:// or https://' };
  return { ok: true, url: u.origin };
}

export function loadHubUrl(fallback: string): string {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved) {
      const parsed = parseHubUrl(saved);
      if (parsed.ok) return parsed.url;
    }
  } catch {
    // storage disabled: use the default
  }
  return fallback;
}

export function saveHubUrl(url: string): void {
  try {
    localStorage.setItem(STORAGE_KEY, url);
  } catch {
    // not persisted; still used for this page
  }
}
