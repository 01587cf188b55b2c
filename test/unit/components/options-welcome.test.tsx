import { fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { describe, expect, it, vi } from 'vitest';
import { OptionsView } from '@/components/OptionsView';
import type { AccountRow, OptionsApi } from '@/lib/ui/options-api';
import type { DiagnosticsApi } from '@/lib/ui/options-api';
import { InstanceDiagnostics } from '@/components/options/InstanceDiagnostics';
import type { InstanceReport } from '@/lib/share-out/diagnostics';
import { parseLinkPolicy } from '@/lib/share-out/policy';

function fakeApi(rows: AccountRow[]): OptionsApi {
  return {
    accounts: vi.fn(async () => rows),
    makeDefault: vi.fn(async () => {}),
    disconnect: vi.fn(async () => ({ revoked: true })),
    connect: {
      start: vi.fn(async () => ({ next: 'login-flow' as const, server: 'https://nc.example', insecure: false })),
      allow: vi.fn(async () => ({ next: 'login-flow' as const, server: 'https://nc.example', insecure: false })),
      loginFlow: vi.fn(async () => 'carol@nc.example'),
      appPassword: vi.fn(async () => 'dave@oc.example'),
    },
  };
}
const address = () => screen.getByLabelText('Your cloud’s address or your cloud id') as HTMLInputElement;

describe('the settings for a new user', () => {
  it('greet with the three steps while no cloud is connected', async () => {
    render(<OptionsView api={fakeApi([])} />);
    const welcome = await screen.findByTestId('welcome');
    expect([...welcome.querySelectorAll('li')].map((li) => li.textContent)).toEqual([
      'Connect your cloud, below.',
      'Open a share link someone sent you.',
      'Click “Add to your cloud” on that page: the share appears among your own files.',
    ]);
  });

  it('do not repeat the steps once a cloud is connected', async () => {
    render(
      <OptionsView
        api={fakeApi([{ id: 'a', label: 'Bob (bob@bob.example)', details: 'Nextcloud 31.0.2', isDefault: true }])}
      />,
    );
    await screen.findByTestId('account');
    expect(screen.queryByTestId('welcome')).toBeNull();
  });
});

describe('the connect form', () => {
  it('keeps the bridge under Advanced, explained in one sentence', async () => {
    const { container } = render(<OptionsView api={fakeApi([])} />);
    await screen.findByTestId('welcome');
    const advanced = container.querySelector('details.advanced') as HTMLDetailsElement;
    expect(advanced.open).toBe(false);
    expect(advanced.querySelector('summary')!.textContent).toBe('Advanced');
    expect(advanced.textContent).toContain(
      'A bridge is an Add to Cloud server that adds, on your cloud’s behalf, the links your cloud cannot add by itself',
    );
    expect(advanced.contains(screen.getByRole('checkbox', { name: /use as a bridge/ }))).toBe(true);
  });

  it('clears the address after a successful connect, ready for another cloud', async () => {
    const api = fakeApi([]);
    render(<OptionsView api={api} />);
    fireEvent.input(address(), { target: { value: 'carol@nc.example' } });
    fireEvent.click(screen.getByRole('checkbox', { name: /use as a bridge/ }));
    fireEvent.click(screen.getByRole('button', { name: 'Connect' }));
    expect((await screen.findByText(/Connected:/)).textContent).toBe('Connected: carol@nc.example');
    expect(address().value).toBe('');
    expect((screen.getByRole('checkbox', { name: /use as a bridge/ }) as HTMLInputElement).checked).toBe(false);
  });

  it('marks a bridge in the list in the user’s language', async () => {
    render(
      <OptionsView
        api={fakeApi([
          {
            id: 'b',
            label: 'Bridge (me@bridge.example)',
            details: 'Add to Cloud companion 10.15.2',
            isDefault: false,
            isBridge: true,
          },
        ])}
      />,
    );
    expect((await screen.findByTestId('account')).textContent).toContain('Add to Cloud companion 10.15.2 · bridge');
  });
});

describe('the diagnostics', () => {
  it('name the link kinds ownCloud 10 requires a password for (enforced_for)', async () => {
    const links = parseLinkPolicy({
      files_sharing: {
        public: {
          enabled: true,
          password: {
            enforced: true,
            enforced_for: { read_only: false, read_write: true, upload_only: true, read_write_delete: false },
          },
          upload: true,
        },
      },
    });
    const api: DiagnosticsApi = {
      instances: vi.fn(async () => [
        {
          id: 'a',
          label: 'Alice (alice@oc.example)',
          baseUrl: 'https://oc.example',
          kind: 'ownCloud',
          version: '10.15.2',
        },
      ]),
      hasPermission: vi.fn(async () => true),
      requestPermission: vi.fn(async () => true),
      report: vi.fn(async (): Promise<InstanceReport> => ({ links })),
    };
    render(<InstanceDiagnostics api={api} version={0} />);
    await waitFor(() =>
      expect(screen.getByTestId('password-enforced').textContent).toBe(
        'for view and upload, upload only (file drop) links',
      ),
    );
  });
});
