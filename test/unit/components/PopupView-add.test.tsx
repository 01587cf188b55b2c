import { fireEvent, render, screen } from '@testing-library/preact';
import { describe, expect, it, vi } from 'vitest';
import { PopupView } from '@/components/PopupView';
import { claimsFromShare } from '@/lib/confirm/claims';
import type { SharePage } from '@/lib/share/types';

const share: SharePage = {
  kind: 'companion',
  generation: 'oc10',
  origin: 'https://alice.example',
  basePath: '',
  token: 'AbCdEf123456',
  shareUrl: 'https://alice.example/s/AbCdEf123456',
  name: 'Photos',
  passwordRequired: false,
  isProtected: false,
  canFederate: true,
  needsServerConfirmation: false,
};

describe('PopupView on a share tab', () => {
  it('offers adding the tab’s share, and says why when the confirmation could not open', () => {
    const { rerender } = render(<PopupView share={share} claims={claimsFromShare(share)} onAdd={vi.fn()} />);
    expect(screen.getByRole('button', { name: 'Add to your cloud' })).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
    rerender(<PopupView share={share} claims={claimsFromShare(share)} onAdd={vi.fn()} addError="not-a-share" />);
    expect(screen.getByRole('alert').textContent).toBe(
      'This tab no longer shows a public share link. Reload the page and try again.',
    );
  });

  // The background answers with a code; the popup once showed that code ("not-a-share") as its message.
  it.each([
    ['not-a-tab', "This tab's address could not be read."],
    ['not-a-share', 'This tab no longer shows a public share link.'],
    ['not-allowed', 'does not let it be added to another cloud'],
    ['failed', 'Could not open the confirmation.'],
  ] as const)('says the refusal %s in words, never as its code', (code, words) => {
    render(<PopupView share={share} claims={claimsFromShare(share)} onAdd={vi.fn()} addError={code} />);
    const alert = screen.getByRole('alert').textContent ?? '';
    expect(alert).toContain(words);
    expect(alert).not.toContain(code);
  });

  it('offers Open instead of Add when the history has put the share into the user’s cloud', () => {
    const entry = {
      id: 'e',
      at: 1,
      sharerOrigin: share.origin,
      accountId: 'a',
      accountLabel: 'bob@cloud.example',
      result: 'mounted' as const,
      path: '/Photos',
    };
    const onOpen = vi.fn();
    const onAdd = vi.fn();
    render(
      <PopupView
        share={share}
        claims={claimsFromShare(share)}
        onAdd={onAdd}
        inCloud={entry}
        history={[entry]}
        historyActions={{ onOpen }}
      />,
    );
    expect(screen.queryByRole('button', { name: 'Add to your cloud' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'In your cloud ✓ · Open' }));
    expect(onOpen).toHaveBeenCalledWith(entry);
    expect(onAdd).not.toHaveBeenCalled();
  });
});
