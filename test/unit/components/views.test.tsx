import { fireEvent, render, screen } from '@testing-library/preact';
import { describe, expect, it, vi } from 'vitest';
import { ConfirmView } from '@/components/ConfirmView';
import { OptionsView } from '@/components/OptionsView';
import { PopupView } from '@/components/PopupView';
import type { PageClaims, PendingConfirmation } from '@/lib/messaging/protocol';
import type { SharePage } from '@/lib/share/types';

const claims: PageClaims = {
  kind: 'nextcloud',
  name: '<b>Reports</b>',
  owner: 'alice',
  ownerDisplayName: 'Alice <script>',
  isFolder: true,
  isProtected: true,
  canFederate: true,
};

const pending: PendingConfirmation = {
  tabId: 4,
  origin: 'https://cloud.example.com',
  basePath: '',
  shareUrl: 'https://cloud.example.com/s/AbCdEf123456789',
  claims,
  requestedAt: 0,
};

const share: SharePage = {
  kind: 'nextcloud',
  generation: 'nc-vue',
  origin: 'https://cloud.example.com',
  basePath: '',
  token: 'AbCdEf123456789',
  shareUrl: 'https://cloud.example.com/s/AbCdEf123456789',
  name: 'Reports',
  isFolder: true,
  passwordRequired: false,
  isProtected: false,
  canFederate: true,
  needsServerConfirmation: false,
};

describe('ConfirmView', () => {
  it('shows the trusted origin and the page’s claims as text, and says nothing is sent yet', () => {
    const { container } = render(<ConfirmView pending={pending} onOpenOptions={vi.fn()} onClose={vi.fn()} />);
    expect(screen.getByTestId('origin').textContent).toBe('https://cloud.example.com');
    expect(screen.getByTestId('item').textContent).toBe('<b>Reports</b> (Folder)');
    expect(screen.getByTestId('owner').textContent).toBe('Alice <script>');
    expect(container.querySelector('b, script')).toBeNull();
    expect(screen.getByText(/Password-protected/)).toBeTruthy();
    expect(screen.getByRole('status').textContent).toContain('nothing is sent anywhere');
    expect(container.textContent).not.toContain('AbCdEf123456789');
  });

  it('explains an expired or unknown confirmation, and its buttons work', () => {
    const onClose = vi.fn();
    const onOpenOptions = vi.fn();
    render(<ConfirmView pending={null} onOpenOptions={onOpenOptions} onClose={onClose} />);
    expect(screen.getByRole('alert').textContent).toContain('no longer valid');
    fireEvent.click(screen.getByRole('button', { name: 'Close' }));
    fireEvent.click(screen.getByRole('button', { name: 'Open settings' }));
    expect(onClose).toHaveBeenCalledOnce();
    expect(onOpenOptions).toHaveBeenCalledOnce();
  });
});

describe('PopupView', () => {
  it('says so when the page has no share', () => {
    render(<PopupView share={null} onAdd={vi.fn()} />);
    expect(screen.getByTestId('status').textContent).toBe('No public share link on this page.');
    expect(screen.queryByRole('button')).toBeNull();
  });

  it('offers adding a share and reports the click', () => {
    const onAdd = vi.fn();
    render(<PopupView share={share} claims={{ ...claims, name: 'Reports' }} onAdd={onAdd} />);
    expect(screen.getByTestId('status').textContent).toBe('Public share on https://cloud.example.com');
    fireEvent.click(screen.getByRole('button', { name: 'Add to your cloud' }));
    expect(onAdd).toHaveBeenCalledOnce();
  });

  it('explains why a file drop cannot be added, without an add button', () => {
    render(
      <PopupView
        share={{ ...share, canFederate: false, federationBlockedReason: 'file-drop' }}
        claims={{ ...claims, canFederate: false }}
        onAdd={vi.fn()}
      />,
    );
    expect(screen.getByRole('status').textContent).toContain('file drop');
    expect(screen.queryByRole('button', { name: 'Add to your cloud' })).toBeNull();
  });
});

describe('OptionsView', () => {
  it('lists no accounts yet and says what comes', () => {
    render(<OptionsView />);
    expect(screen.getByRole('heading', { name: 'Your clouds' })).toBeTruthy();
    expect(screen.getByTestId('no-accounts').textContent).toContain('No cloud connected yet');
  });
});
