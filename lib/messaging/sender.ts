/**
 * Who sent a message, as the BROWSER reports it (never as the message says). Pure: the caller passes the
 * runtime's MessageSender and the extension's own base URL.
 *
 * Why `sender.url` and not `sender.tab.url`: Firefox fills `sender.tab.url` only with the "tabs" permission or a
 * host permission for the page, and a share page lives on someone else's server, for which we hold neither.
 * `sender.url` is the URL of the sending frame in both browsers, without any permission.
 */
export interface SenderInfo {
  id?: string;
  url?: string;
  frameId?: number;
  tab?: { id?: number; url?: string };
}

/** The sending tab and its top frame's URL, or null when the message did not come from a tab's top frame. */
export function topFrameOf(sender: SenderInfo): { tabId: number; url: string } | null {
  const tabId = sender.tab?.id;
  if (tabId === undefined || tabId < 0) return null;
  // Our content script runs in top frames only; a message from an embedded frame is not the tab's page.
  if (sender.frameId !== 0 || !sender.url) return null;
  // Where the browser does tell the tab's URL, it must be the same document (a hash change is not a new page).
  if (sender.tab?.url !== undefined && withoutHash(sender.tab.url) !== withoutHash(sender.url)) return null;
  return { tabId, url: sender.url };
}

/** True for the extension's own pages (popup, options, confirmation): the only callers of privileged messages. */
export function isOwnPage(sender: SenderInfo, extensionId: string, extensionBaseUrl: string): boolean {
  return sender.id === extensionId && typeof sender.url === 'string' && sender.url.startsWith(extensionBaseUrl);
}

function withoutHash(url: string): string {
  const hash = url.indexOf('#');
  return hash < 0 ? url : url.slice(0, hash);
}
