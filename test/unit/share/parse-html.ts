/**
 * Parses a fixture page the way the tests need it: `new DOMParser().parseFromString(html, 'text/html')`, with
 * happy-dom told that refused stylesheet/script loads are fine (it loads nothing either way; without this it
 * logs a NotSupportedError for every <link rel="stylesheet"> of the fixture pages). Script evaluation stays off.
 */
export function parseHtml(html: string): Document {
  const settings = (globalThis as { happyDOM?: { settings: Record<string, unknown> } }).happyDOM?.settings;
  if (settings) settings.handleDisabledFileLoadingAsSuccess = true;
  return new DOMParser().parseFromString(html, 'text/html');
}
