import { render } from 'preact';
import { AddToCloudButton } from '@/components/AddToCloudButton';
import { claimsFromShare } from '@/lib/confirm/claims';
import { onMessage, sendMessage } from '@/lib/messaging/protocol';
import { performSharerRequest } from '@/lib/sharer/perform';
import type { SharePage } from '@/lib/share/types';
import { SHARE_UI_GLOBAL, type ShareUiApi } from '@/lib/ui/share-ui-api';
import { ShadowHost } from '@/lib/ui/shadow-host';
import buttonCss from '@/components/AddToCloudButton.css?inline';

/**
 * The share UI chunk: loaded by the always-on detector with import() only on share pages. It owns the
 * injected button (in a closed shadow root), answers the popup's "what is on this page", and asks the
 * background to confirm SPA candidates before offering anything.
 */
export default defineUnlistedScript(() => {
  let current: SharePage | null = null;
  let generation = 0;
  const host = new ShadowHost(document, buttonCss);

  const draw = (share: SharePage, inCloud: boolean): void => {
    host.mount((root) =>
      render(
        <AddToCloudButton
          share={share}
          inCloud={inCloud}
          onActivate={() => sendMessage('content:requestConfirmation', claimsFromShare(share))}
          onOpen={() => sendMessage('content:openInCloud')}
        />,
        root,
      ),
    );
  };

  // The button first offers adding, then says "In your cloud ✓ · Open" if the background's history knows this
  // share (looked up by this tab's URL; no server is asked on a page view).
  const showButton = (share: SharePage): void => {
    const mine = generation;
    draw(share, false);
    void sendMessage('content:shareState').then(
      (state) => {
        if (mine === generation && state?.inCloud) draw(share, true);
      },
      () => undefined,
    );
  };

  const api: ShareUiApi = {
    show(share) {
      current = share;
      const mine = ++generation;
      if (!share || !share.canFederate) return host.unmount();
      if (!share.needsServerConfirmation) return showButton(share);
      // An SPA URL is only a candidate: offer the button once the sharer's server says the token is real.
      host.unmount();
      // No answer (the extension was reloaded, the worker stopped) is no confirmation: the page simply gets no button.
      void sendMessage('content:confirmSpaShare').then(
        (answer) => {
          if (mine !== generation || !answer?.confirmed) return;
          current = { ...share, isProtected: answer.isProtected, needsServerConfirmation: false };
          showButton(current);
        },
        () => undefined,
      );
    },
  };

  onMessage('popup:getPageShare', () => current);
  // An add from this tab just finished: ask for the state again (for whatever share this tab shows now).
  onMessage('background:shareStateChanged', () => {
    if (current?.canFederate && !current.needsServerConfirmation) showButton(current);
  });
  // Only the extension can message a content script; the request is one of a fixed few, on this tab's origin.
  onMessage('background:sharerRequest', ({ data }) => performSharerRequest(location.href, data));
  (globalThis as Record<string, unknown>)[SHARE_UI_GLOBAL] = api;
});
