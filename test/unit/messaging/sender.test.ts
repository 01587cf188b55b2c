import { describe, expect, it } from 'vitest';
import { isOwnPage, topFrameOf } from '@/lib/messaging/sender';

const SHARE = 'https://their.cloud/s/AbC123xyz';

describe('topFrameOf: the page a content-script message came from', () => {
  it('takes the URL of the sending top frame when the browser hides the tab URL (Firefox without host permission)', () => {
    expect(topFrameOf({ url: SHARE, frameId: 0, tab: { id: 4 } })).toEqual({ tabId: 4, url: SHARE });
  });

  it('accepts a tab URL that names the same document, even with another fragment', () => {
    expect(topFrameOf({ url: `${SHARE}#a`, frameId: 0, tab: { id: 4, url: `${SHARE}#b` } })).toEqual({
      tabId: 4,
      url: `${SHARE}#a`,
    });
  });

  it.each([
    ['no tab (a message from an extension page or another extension)', { url: SHARE, frameId: 0 }],
    ['a negative tab id (devtools, prerender)', { url: SHARE, frameId: 0, tab: { id: -1 } }],
    ['an embedded frame', { url: SHARE, frameId: 3, tab: { id: 4 } }],
    ['no frame id', { url: SHARE, tab: { id: 4 } }],
    ['no sender URL', { frameId: 0, tab: { id: 4, url: SHARE } }],
    [
      'a tab that shows another page than the frame',
      { url: SHARE, frameId: 0, tab: { id: 4, url: 'https://evil.example/s/AbC123xyz' } },
    ],
  ])('refuses %s', (_what, sender) => {
    expect(topFrameOf(sender)).toBeNull();
  });
});

describe('isOwnPage: who may send privileged messages', () => {
  const base = 'chrome-extension://abcdef/';
  it('accepts the extension’s own pages, in a tab or a popup', () => {
    expect(isOwnPage({ id: 'abcdef', url: `${base}confirm.html?tab=3`, tab: { id: 9 } }, 'abcdef', base)).toBe(true);
    expect(isOwnPage({ id: 'abcdef', url: `${base}popup.html` }, 'abcdef', base)).toBe(true);
  });

  it.each([
    ['a content script on a web page', { id: 'abcdef', url: SHARE, frameId: 0, tab: { id: 4 } }],
    ['another extension', { id: 'other', url: 'chrome-extension://other/page.html' }],
    ['another extension naming our URL', { id: 'other', url: `${base}confirm.html` }],
    ['a sender without URL', { id: 'abcdef' }],
  ])('refuses %s', (_what, sender) => {
    expect(isOwnPage(sender, 'abcdef', base)).toBe(false);
  });
});
