/**
 * The first root this browser saw from a hub, by digest. A later bundle must start
 * from the same root and chain forward, so a hub that swaps the root is caught.
 */
const prefix = 'serfbort:root-pin:';

export function loadRootPin(hubUrl: string): string | null {
  try {
    return localStorage.getItem(prefix + hubUrl);
  } catch {
    return null;
  }
}

export function saveRootPin(hubUrl: string, digest: string): void {
  try {
    localStorage.setItem(prefix + hubUrl, digest);
  } catch {
    // storage may be disabled; the pin is then per page load
  }
}

export function clearRootPin(hubUrl: string): void {
  try {
    localStorage.removeItem(prefix + hubUrl);
  } catch {
    // nothing stored
  }
}
