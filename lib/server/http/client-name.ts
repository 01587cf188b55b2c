/**
 * The name a Login Flow v2 client is shown under on the grant page, and that its app password keeps. Nextcloud uses
 * the raw User-Agent ("Mozilla/5.0 (X11; Linux x86_64) … Firefox/128.0"), which tells a person little about what they
 * are about to let in. Browsers do not let an extension choose its User-Agent, but they do send the extension's
 * origin with its POST (Chromium: `chrome-extension://ID`, Firefox: `moz-extension://UUID`), so a flow started from a
 * browser extension is named after our extension and the browser it runs in: "Add to Cloud (Chromium)". Any other
 * browser becomes "Firefox on Linux"; anything else keeps its User-Agent, tidied, as Nextcloud does. Like the
 * User-Agent, the origin is the client's own claim: the name describes, it does not authenticate.
 */
interface ClientHeaders {
  userAgent?: string;
  origin?: string;
}

const EXTENSION_NAME = 'Add to Cloud';
const MAX_RAW_LENGTH = 120;

/** Which browser an extension origin belongs to; the User-Agent tells Chromium's branded builds apart. */
function extensionBrowser(origin: string, userAgent: string): string | undefined {
  if (/^moz-extension:\/\/[\w-]+$/i.test(origin)) return 'Firefox';
  if (/^safari-web-extension:\/\/[\w-]+$/i.test(origin)) return 'Safari';
  if (/^chrome-extension:\/\/[a-p]{32}$/.test(origin)) {
    if (/\bEdg\//.test(userAgent)) return 'Edge';
    if (/\bOPR\//.test(userAgent)) return 'Opera';
    return 'Chromium';
  }
  return undefined;
}

/** Order matters: Edge and Opera also say "Chrome", Chrome also says "Safari". */
const BROWSERS: [RegExp, string][] = [
  [/\bEdg(e|A|iOS)?\//, 'Edge'],
  [/\b(OPR|Opera)\//, 'Opera'],
  [/\b(Firefox|FxiOS)\//, 'Firefox'],
  [/\b(HeadlessChrome|Chrome|CriOS)\//, 'Chrome'],
  [/\bChromium\//, 'Chromium'],
  [/\bVersion\/[\d.]+.*\bSafari\//, 'Safari'],
];

/** Order matters: Android says "Linux", iOS says "like Mac OS X". */
const SYSTEMS: [RegExp, string][] = [
  [/\bAndroid\b/, 'Android'],
  [/\biPhone\b/, 'iPhone'],
  [/\biPad\b/, 'iPad'],
  [/\bCrOS\b/, 'ChromeOS'],
  [/\bWindows\b/, 'Windows'],
  [/\bMac OS X\b|\bMacintosh\b/, 'macOS'],
  [/\bLinux\b|\bX11\b/, 'Linux'],
];

const first = (table: [RegExp, string][], text: string): string | undefined =>
  table.find(([pattern]) => pattern.test(text))?.[1];

/** "Firefox on Linux" for a web browser's User-Agent; undefined for anything that does not look like one. */
function browserOnSystem(userAgent: string): string | undefined {
  if (!userAgent.startsWith('Mozilla/5.0 ')) return undefined;
  const browser = first(BROWSERS, userAgent);
  if (!browser) return undefined;
  const system = first(SYSTEMS, userAgent);
  return system ? `${browser} on ${system}` : browser;
}

/** Printable, one line, bounded: the raw User-Agent of a client we cannot describe better. */
function tidy(text: string): string {
  const clean = text
    .replace(/[\p{Cc}\p{Cf}]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return clean.length > MAX_RAW_LENGTH ? `${clean.slice(0, MAX_RAW_LENGTH - 1)}…` : clean;
}

export function clientNameOf({ userAgent = '', origin = '' }: ClientHeaders): string {
  const inBrowser = extensionBrowser(origin.trim(), userAgent);
  if (inBrowser) return `${EXTENSION_NAME} (${inBrowser})`;
  return browserOnSystem(userAgent) ?? (tidy(userAgent) || 'Unknown client');
}
