import { describe, expect, it } from 'vitest';
import { clientNameOf } from '@/lib/server/http/client-name';

// User-Agents as the browsers send them (the Chromium one is what Debian's headless Chromium sent to a test server).
const UA = {
  chromiumLinux:
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0.0.0 Safari/537.36',
  chromeWindows:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  edgeWindows:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0',
  firefoxLinux: 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0',
  safariMac:
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15',
  safariIphone:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1',
  chromeAndroid:
    'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36',
  desktopClient:
    'Mozilla/5.0 (Linux) mirall/3.13.0 (Nextcloud, ubuntu-6.5.0 ClientArchitecture: x86_64 OsArchitecture: x86_64)',
};
const CHROME_EXTENSION = 'chrome-extension://gemlbbjpbgcdnnpmgdpnkmcbobmgdfoj';
const FIREFOX_EXTENSION = 'moz-extension://0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';

describe('clientNameOf (Login Flow client names)', () => {
  it('names a flow started by the extension after the extension and its browser', () => {
    expect(clientNameOf({ userAgent: UA.chromiumLinux, origin: CHROME_EXTENSION })).toBe('Add to Cloud (Chromium)');
    expect(clientNameOf({ userAgent: UA.chromeWindows, origin: CHROME_EXTENSION })).toBe('Add to Cloud (Chromium)');
    expect(clientNameOf({ userAgent: UA.edgeWindows, origin: CHROME_EXTENSION })).toBe('Add to Cloud (Edge)');
    expect(clientNameOf({ userAgent: UA.firefoxLinux, origin: FIREFOX_EXTENSION })).toBe('Add to Cloud (Firefox)');
  });

  it('names any other browser "Browser on system"', () => {
    expect(clientNameOf({ userAgent: UA.firefoxLinux })).toBe('Firefox on Linux');
    expect(clientNameOf({ userAgent: UA.chromeWindows, origin: 'https://evil.example' })).toBe('Chrome on Windows');
    expect(clientNameOf({ userAgent: UA.edgeWindows })).toBe('Edge on Windows');
    expect(clientNameOf({ userAgent: UA.safariMac })).toBe('Safari on macOS');
    expect(clientNameOf({ userAgent: UA.safariIphone })).toBe('Safari on iPhone');
    expect(clientNameOf({ userAgent: UA.chromeAndroid })).toBe('Chrome on Android');
  });

  it('does not take a look-alike origin for an extension', () => {
    expect(clientNameOf({ userAgent: UA.chromiumLinux, origin: 'chrome-extension://not-an-id' })).toBe(
      'Chrome on Linux',
    );
    expect(clientNameOf({ userAgent: UA.chromiumLinux, origin: `${CHROME_EXTENSION}.evil.example` })).toBe(
      'Chrome on Linux',
    );
    expect(clientNameOf({ userAgent: UA.firefoxLinux, origin: 'moz-extension://x/../y' })).toBe('Firefox on Linux');
  });

  it('keeps the User-Agent of other clients, on one printable line and bounded', () => {
    expect(clientNameOf({ userAgent: UA.desktopClient })).toBe(UA.desktopClient);
    expect(clientNameOf({ userAgent: 'x'.repeat(500) })).toBe(`${'x'.repeat(119)}…`);
    expect(clientNameOf({ userAgent: 'curl/8.5.0' })).toBe('curl/8.5.0');
    expect(clientNameOf({ userAgent: 'evil\r\nclient\u202e\u0000name' })).toBe('evil client name');
    expect(clientNameOf({})).toBe('Unknown client');
    expect(clientNameOf({ userAgent: '  \t ' })).toBe('Unknown client');
  });
});
