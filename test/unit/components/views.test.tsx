import { fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { describe, expect, it, vi } from 'vitest';
import { ConfirmView } from '@/components/ConfirmView';
import { OptionsView } from '@/components/OptionsView';
import type { AccountRow, OptionsApi } from '@/lib/ui/options-api';
import { PopupView } from '@/components/PopupView';
import type { AccountSummary, PageClaims, PendingConfirmation } from '@/lib/messaging/protocol';
import type { SharePage } from '@/lib/share/types';
import { InstanceError } from '@/lib/instance/errors';

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

const accounts: AccountSummary[] = [
  {
    id: 'home',
    label: 'Bob (bob@bob.example)',
    baseUrl: 'https://bob.example',
    kind: 'nextcloud',
    cloudId: 'bob@bob.example',
  },
  {
    id: 'work',
    label: 'Bob (bob@work.example)',
    baseUrl: 'https://work.example',
    kind: 'owncloud',
    cloudId: 'bob@work.example',
  },
];

describe('ConfirmView', () => {
  it('shows the trusted origin and the page’s claims as text, never the token', () => {
    const { container } = render(
      <ConfirmView pending={pending} accounts={accounts} onAdd={vi.fn()} onOpenOptions={vi.fn()} onClose={vi.fn()} />,
    );
    expect(screen.getByTestId('origin').textContent).toBe('https://cloud.example.com');
    expect(screen.getByTestId('item').textContent).toBe('<b>Reports</b> (Folder)');
    expect(screen.getByTestId('owner').textContent).toBe('Alice <script>');
    expect(container.querySelector('b, script')).toBeNull();
    expect(container.textContent).not.toContain('AbCdEf123456789');
  });

  it('adds to the chosen account with the typed share password and reports where it landed', async () => {
    const onAdd = vi.fn(async () => ({ result: 'mounted' as const, path: '/Reports' }));
    render(
      <ConfirmView pending={pending} accounts={accounts} onAdd={onAdd} onOpenOptions={vi.fn()} onClose={vi.fn()} />,
    );
    fireEvent.change(screen.getByRole('combobox', { name: 'Add to' }), { target: { value: 'work' } });
    fireEvent.input(screen.getByLabelText('Share password'), { target: { value: 's3cret' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add' }));
    expect(await screen.findByTestId('outcome')).toHaveProperty('textContent', 'Added to your cloud as “/Reports”.');
    expect(onAdd).toHaveBeenCalledWith('work', 's3cret');
    // The added folder itself, not the top of the file list.
    const open = screen.getByRole('link', { name: 'Open in your cloud' });
    expect(open.getAttribute('href')).toBe('https://work.example/index.php/apps/files/?dir=%2FReports');
  });

  it('says what went wrong, naming the server, and lets the user try again', async () => {
    const onAdd = vi.fn(async () => ({
      result: 'failed' as const,
      problem: { code: 'instance-unreachable' as const, server: 'bob@bob.example' },
    }));
    render(
      <ConfirmView pending={pending} accounts={accounts} onAdd={onAdd} onOpenOptions={vi.fn()} onClose={vi.fn()} />,
    );
    fireEvent.click(screen.getByRole('button', { name: 'Add' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toBe(
      'Could not add the share: Your cloud bob@bob.example did not answer. Check the address and your connection, then try again.',
    );
    expect(screen.getByRole('button', { name: 'Add' })).toBeTruthy();
    expect(screen.getByRole('heading').textContent).toBe('Add this share to your cloud?');
  });

  it('puts the cursor back into the password field after a wrong password', async () => {
    const onAdd = vi.fn(async () => ({ result: 'failed' as const, problem: { code: 'password-wrong' as const } }));
    render(
      <ConfirmView pending={pending} accounts={accounts} onAdd={onAdd} onOpenOptions={vi.fn()} onClose={vi.fn()} />,
    );
    const field = screen.getByLabelText('Share password') as HTMLInputElement;
    fireEvent.input(field, { target: { value: 'guess' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add' }));
    expect((await screen.findByRole('alert')).textContent).toBe(
      'Could not add the share: The share password is wrong. Check it with the person who shared it.',
    );
    await waitFor(() => expect(document.activeElement).toBe(field));
  });

  it('changes the heading on success and closes itself with Close', async () => {
    const onClose = vi.fn();
    const onAdd = vi.fn(async () => ({ result: 'mounted' as const, path: '/Reports' }));
    render(
      <ConfirmView
        pending={{ ...pending, claims: { ...claims, isProtected: false } }}
        accounts={accounts}
        onAdd={onAdd}
        onOpenOptions={vi.fn()}
        onClose={onClose}
      />,
    );
    expect(screen.getByRole('heading').textContent).toBe('Add this share to your cloud?');
    fireEvent.click(screen.getByRole('button', { name: 'Add' }));
    await screen.findByTestId('outcome');
    expect(screen.getByRole('heading').textContent).toBe('Added to your cloud');
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Close' })));
    fireEvent.click(screen.getByRole('button', { name: 'Close' }));
    expect(onClose).toHaveBeenCalledOnce();
  });

  it('asks the background to prepare for the chosen account as soon as it shows, and again when it changes', async () => {
    const onPrepare = vi.fn();
    render(
      <ConfirmView
        pending={pending}
        accounts={accounts}
        onAdd={vi.fn()}
        onPrepare={onPrepare}
        onOpenOptions={vi.fn()}
        onClose={vi.fn()}
      />,
    );
    await waitFor(() => expect(onPrepare).toHaveBeenCalledWith('home'));
    fireEvent.change(screen.getByRole('combobox', { name: 'Add to' }), { target: { value: 'work' } });
    await waitFor(() => expect(onPrepare).toHaveBeenLastCalledWith('work'));
    expect(onPrepare).toHaveBeenCalledTimes(2);
  });

  it('reports an already-added share', async () => {
    const onAdd = vi.fn(async () => ({ result: 'already-mounted' as const, path: '/Reports' }));
    render(
      <ConfirmView
        pending={{ ...pending, claims: { ...claims, isProtected: false } }}
        accounts={accounts}
        onAdd={onAdd}
        onOpenOptions={vi.fn()}
        onClose={vi.fn()}
      />,
    );
    expect(screen.queryByLabelText('Share password')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Add' }));
    expect((await screen.findByTestId('outcome')).textContent).toContain('already in your cloud');
    expect(screen.getByRole('heading').textContent).toBe('Already in your cloud');
  });

  it('asks to connect a cloud first when there is none', () => {
    const onOpenOptions = vi.fn();
    render(
      <ConfirmView pending={pending} accounts={[]} onAdd={vi.fn()} onOpenOptions={onOpenOptions} onClose={vi.fn()} />,
    );
    fireEvent.click(screen.getByRole('button', { name: 'Connect your cloud' }));
    expect(onOpenOptions).toHaveBeenCalledOnce();
    expect(screen.queryByRole('button', { name: 'Add' })).toBeNull();
  });

  it('explains an expired or unknown confirmation', () => {
    const onClose = vi.fn();
    render(
      <ConfirmView pending={null} accounts={accounts} onAdd={vi.fn()} onOpenOptions={vi.fn()} onClose={onClose} />,
    );
    expect(screen.getByRole('alert').textContent).toContain('no longer valid');
    fireEvent.click(screen.getByRole('button', { name: 'Close' }));
    expect(onClose).toHaveBeenCalledOnce();
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

function fakeOptionsApi(over: Partial<OptionsApi['connect']> = {}) {
  let rows: AccountRow[] = [{ id: 'a', label: 'Bob — bob@bob.example', details: 'Nextcloud 31.0.4', isDefault: true }];
  const api: OptionsApi = {
    accounts: vi.fn(async () => rows),
    makeDefault: vi.fn(async () => {}),
    disconnect: vi.fn(async (id: string) => {
      rows = rows.filter((r) => r.id !== id);
      return { revoked: false };
    }),
    connect: {
      start: vi.fn(async () => ({ next: 'login-flow' as const, server: 'http://127.0.0.1:8102', insecure: true })),
      allow: vi.fn(async () => ({ next: 'login-flow' as const, server: 'http://127.0.0.1:8102', insecure: true })),
      loginFlow: vi.fn(async () => 'carol@nc.example'),
      appPassword: vi.fn(async () => 'dave@oc.example'),
      ...over,
    },
  };
  return api;
}

describe('OptionsView', () => {
  it('lists the connected clouds and disconnects one, saying whether the server revoked the password', async () => {
    const api = fakeOptionsApi();
    render(<OptionsView api={api} />);
    expect((await screen.findByTestId('account')).textContent).toContain('bob@bob.example');
    fireEvent.click(screen.getByRole('button', { name: 'Disconnect' }));
    expect((await screen.findByText(/could not revoke/)).textContent).toContain(
      'Revoke it in your cloud’s security settings',
    );
    expect(api.disconnect).toHaveBeenCalledWith('a');
    expect(await screen.findByTestId('no-accounts')).toBeTruthy();
  });

  it('connects through Login Flow, warning about plain http', async () => {
    const api = fakeOptionsApi();
    render(<OptionsView api={api} />);
    fireEvent.input(screen.getByLabelText('Your cloud’s address or your cloud id'), {
      target: { value: 'carol@http://127.0.0.1:8102' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Connect' }));
    expect((await screen.findByText(/Connected:/)).textContent).toBe('Connected: carol@nc.example');
    expect(api.connect.start).toHaveBeenCalledWith('carol@http://127.0.0.1:8102', false);
  });

  it('connects an Add to Cloud server as a bridge when the user says so', async () => {
    const api = fakeOptionsApi();
    render(<OptionsView api={api} />);
    fireEvent.input(screen.getByLabelText('Your cloud’s address or your cloud id'), {
      target: { value: 'bob@bridge.example' },
    });
    fireEvent.click(screen.getByRole('checkbox', { name: /use as a bridge/ }));
    fireEvent.click(screen.getByRole('button', { name: 'Connect' }));
    await screen.findByText(/Connected:/);
    expect(api.connect.start).toHaveBeenCalledWith('bob@bridge.example', true);
  });

  it('asks ownCloud users for an app password with a link to create one', async () => {
    const api = fakeOptionsApi({
      start: vi.fn(async () => ({
        next: 'app-password' as const,
        server: 'https://oc.example',
        insecure: false,
        appPasswordPage: 'https://oc.example/index.php/settings/personal?sectionid=security',
        suggestedLogin: 'dave',
      })),
    });
    render(<OptionsView api={api} />);
    fireEvent.input(screen.getByLabelText('Your cloud’s address or your cloud id'), {
      target: { value: 'dave@oc.example' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Connect' }));
    const link = await screen.findByRole('link', { name: 'Create an app password' });
    expect(link.getAttribute('href')).toBe('https://oc.example/index.php/settings/personal?sectionid=security');
    expect((screen.getByLabelText('Login name') as HTMLInputElement).value).toBe('dave');
    fireEvent.input(screen.getByLabelText('App password'), { target: { value: ' abc-123 ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('Connected: dave@oc.example')).toBeTruthy();
    expect(api.connect.appPassword).toHaveBeenCalledWith('dave', 'abc-123');
  });

  it('shows a clear error and keeps the typed address when the server check fails', async () => {
    const api = fakeOptionsApi({
      start: vi.fn(async () => ({
        next: 'error' as const,
        problem: { code: 'not-a-cloud' as const, server: 'https://example.com' },
      })),
    });
    render(<OptionsView api={api} />);
    fireEvent.input(screen.getByLabelText('Your cloud’s address or your cloud id'), {
      target: { value: 'example.com' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Connect' }));
    expect(screen.getByText('Checking https://example.com…')).toBeTruthy();
    expect((await screen.findByRole('alert')).textContent).toBe(
      'Could not connect: There is no ownCloud or Nextcloud at https://example.com (no status.php).',
    );
    expect((screen.getByLabelText('Your cloud’s address or your cloud id') as HTMLInputElement).value).toBe(
      'example.com',
    );
  });
});

describe('PopupView history', () => {
  it('lists the latest adds with their outcome, newest first, at most five', () => {
    const entries = Array.from({ length: 7 }, (_, i) => ({
      id: `e${i}`,
      at: Date.UTC(2026, 10, 27, 12, i),
      sharerOrigin: 'https://alice.example',
      name: `Folder ${i}`,
      accountId: 'a',
      accountLabel: 'bob@bob.example',
      result: (i === 0 ? 'failed' : 'mounted') as 'failed' | 'mounted',
      ...(i === 0 && { message: 'Remote is unreachable' }),
    }));
    render(<PopupView share={null} history={entries} onAdd={vi.fn()} />);
    const items = screen.getAllByTestId('history-entry');
    expect(items).toHaveLength(5);
    expect(items[0]!.textContent).toContain('Folder 0');
    expect(items[0]!.textContent).toContain('failed');
    expect(items[0]!.textContent).toContain('Remote is unreachable');
    expect(items[1]!.textContent).toContain('added');
    expect(items[1]!.textContent).toContain('https://alice.example → bob@bob.example');
  });

  it('words a stored problem in today’s language, and still shows an old English entry as it is', () => {
    const base = {
      at: 0,
      sharerOrigin: 'https://alice.example',
      accountId: 'a',
      accountLabel: 'bob@bob.example',
      result: 'failed' as const,
    };
    const entries = [
      { ...base, id: 'new', name: 'New', problem: { code: 'link-gone' as const, server: 'https://alice.example' } },
      { ...base, id: 'old', name: 'Old', message: 'Remote is unreachable' },
    ];
    render(<PopupView share={null} history={entries} onAdd={vi.fn()} />);
    const [fresh, old] = screen.getAllByTestId('history-entry');
    expect(fresh!.textContent).toContain('This link does not exist any more on https://alice.example');
    expect(old!.textContent).toContain('Remote is unreachable');
  });

  it('says when nothing was added yet', () => {
    render(<PopupView share={null} onAdd={vi.fn()} />);
    expect(screen.getByText('Nothing added yet.')).toBeTruthy();
  });
});

describe('OptionsView: the server is checked before the permission is asked for', () => {
  it('names what it found, then asks for the permission only on the next click', async () => {
    const api = fakeOptionsApi({
      start: vi.fn(async () => ({
        next: 'allow' as const,
        server: 'https://cloud.example.com',
        product: 'Nextcloud 31.0.2',
      })),
    });
    render(<OptionsView api={api} />);
    fireEvent.input(screen.getByLabelText('Your cloud’s address or your cloud id'), {
      target: { value: 'bob@cloud.example.com' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Connect' }));
    expect((await screen.findByText(/^Found/)).textContent).toBe(
      'Found Nextcloud 31.0.2 at https://cloud.example.com.',
    );
    expect(api.connect.allow).not.toHaveBeenCalled();
    await waitFor(() =>
      expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Allow and continue' })),
    );
    fireEvent.click(screen.getByRole('button', { name: 'Allow and continue' }));
    expect(api.connect.allow).toHaveBeenCalledOnce();
    expect((await screen.findByText(/Connected:/)).textContent).toBe('Connected: carol@nc.example');
  });

  it('names the address tried when a sign-in fails', async () => {
    const api = fakeOptionsApi({
      loginFlow: vi.fn(async () => Promise.reject(new InstanceError('timeout'))),
    });
    render(<OptionsView api={api} />);
    fireEvent.input(screen.getByLabelText('Your cloud’s address or your cloud id'), {
      target: { value: 'carol@http://127.0.0.1:8102' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Connect' }));
    expect((await screen.findByRole('alert')).textContent).toBe(
      'Could not connect: Your cloud http://127.0.0.1:8102 did not answer in time. Try again in a moment.',
    );
  });
});

describe('OptionsView focus', () => {
  it('puts the cursor in the address field once it knows there is no cloud yet', async () => {
    const api = fakeOptionsApi();
    (api.accounts as ReturnType<typeof vi.fn>).mockResolvedValue([]);
    render(<OptionsView api={api} />);
    await screen.findByTestId('no-accounts');
    await waitFor(() =>
      expect(document.activeElement).toBe(screen.getByLabelText('Your cloud’s address or your cloud id')),
    );
  });
});

describe('ConfirmView loading', () => {
  it('waits for the accounts before showing any button, so the initial focus lands on the right one', async () => {
    const { rerender } = render(
      <ConfirmView pending={pending} accounts={undefined} onAdd={vi.fn()} onOpenOptions={vi.fn()} onClose={vi.fn()} />,
    );
    expect(screen.queryByRole('button')).toBeNull();
    const unprotected = { ...pending, claims: { ...claims, isProtected: false } };
    rerender(
      <ConfirmView
        pending={unprotected}
        accounts={accounts}
        onAdd={vi.fn()}
        onOpenOptions={vi.fn()}
        onClose={vi.fn()}
      />,
    );
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Add' })));
  });

  it('starts in the password field of a protected share', async () => {
    render(
      <ConfirmView pending={pending} accounts={accounts} onAdd={vi.fn()} onOpenOptions={vi.fn()} onClose={vi.fn()} />,
    );
    await waitFor(() => expect(document.activeElement).toBe(screen.getByLabelText('Share password')));
  });
});

describe('ConfirmView without "confirm before adding"', () => {
  const open = { ...pending, claims: { ...claims, isProtected: false } };

  it('adds to the default account as soon as it opens, and still shows the outcome', async () => {
    const onAdd = vi.fn(async () => ({ result: 'mounted' as const, path: '/Reports' }));
    render(
      <ConfirmView
        pending={open}
        accounts={accounts}
        addAtOnce
        onAdd={onAdd}
        onOpenOptions={vi.fn()}
        onClose={vi.fn()}
      />,
    );
    expect((await screen.findByTestId('outcome')).textContent).toBe('Added to your cloud as “/Reports”.');
    expect(onAdd).toHaveBeenCalledOnce();
    expect(onAdd).toHaveBeenCalledWith('home', '');
  });

  it('still asks when the share needs a password', async () => {
    const onAdd = vi.fn();
    render(
      <ConfirmView
        pending={pending}
        accounts={accounts}
        addAtOnce
        onAdd={onAdd}
        onOpenOptions={vi.fn()}
        onClose={vi.fn()}
      />,
    );
    await waitFor(() => expect(document.activeElement).toBe(screen.getByLabelText('Share password')));
    expect(onAdd).not.toHaveBeenCalled();
  });

  it('waits for a click when the setting is on (the default)', async () => {
    const onAdd = vi.fn();
    render(<ConfirmView pending={open} accounts={accounts} onAdd={onAdd} onOpenOptions={vi.fn()} onClose={vi.fn()} />);
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Add' })));
    expect(onAdd).not.toHaveBeenCalled();
  });
});

describe('ConfirmView after a revoked app password', () => {
  it('offers to reconnect the account', async () => {
    const onOpenOptions = vi.fn();
    const onAdd = vi.fn(async () => ({
      result: 'failed' as const,
      problem: { code: 'instance-unauthorized' as const, server: 'bob@bob.example' },
    }));
    render(
      <ConfirmView
        pending={pending}
        accounts={accounts}
        onAdd={onAdd}
        onOpenOptions={onOpenOptions}
        onClose={vi.fn()}
      />,
    );
    fireEvent.click(screen.getByRole('button', { name: 'Add' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Reconnect' }));
    expect(onOpenOptions).toHaveBeenCalledOnce();
  });

  it('does not offer it for other failures', async () => {
    const onAdd = vi.fn(async () => ({
      result: 'failed' as const,
      problem: { code: 'instance-unreachable' as const, server: 'bob@bob.example' },
    }));
    render(
      <ConfirmView pending={pending} accounts={accounts} onAdd={onAdd} onOpenOptions={vi.fn()} onClose={vi.fn()} />,
    );
    fireEvent.click(screen.getByRole('button', { name: 'Add' }));
    await screen.findByTestId('outcome');
    expect(screen.queryByRole('button', { name: 'Reconnect' })).toBeNull();
  });
});
