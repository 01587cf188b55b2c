import { fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { describe, expect, it, vi } from 'vitest';
import type { DefaultsApi, DiagnosticsApi } from '@/lib/ui/options-api';
import { DefaultsForm } from '@/components/options/DefaultsForm';
import { InstanceDiagnostics } from '@/components/options/InstanceDiagnostics';
import { InstanceError } from '@/lib/instance/errors';
import type { InstanceReport } from '@/lib/share-out/diagnostics';
import { parseLinkPolicy } from '@/lib/share-out/policy';
import { createDefaultsApi } from '@/lib/settings/options-api';
import { ADD_DEFAULTS } from '@/lib/settings/adding';
import { DEFAULTS as SHARE_DEFAULTS } from '@/lib/share-out/settings';

const DEFAULTS = { ...SHARE_DEFAULTS, ...ADD_DEFAULTS };

describe('DefaultsForm', () => {
  it('loads the stored defaults and saves changes through the real store', async () => {
    const api = createDefaultsApi();
    render(<DefaultsForm api={api} />);
    const days = (await screen.findByLabelText('New links expire after (days)')) as HTMLInputElement;
    expect(days.value).toBe('7');
    fireEvent.input(days, { target: { value: '30' } });
    fireEvent.click(screen.getByLabelText('Protect new links with a password'));
    fireEvent.click(screen.getByRole('button', { name: 'Save defaults' }));
    expect(await screen.findByText('Defaults saved.')).toBeTruthy();
    expect(await api.load()).toEqual({ expiryDays: 30, passwordByDefault: false, confirmBeforeAdding: true });
  });

  it('does not save a negative number of days', async () => {
    const api = createDefaultsApi();
    render(<DefaultsForm api={api} />);
    const days = (await screen.findByLabelText('New links expire after (days)')) as HTMLInputElement;
    fireEvent.input(days, { target: { value: '-3' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save defaults' }));
    // The field's own constraint (min 0) stops the form, as in the browser.
    expect(days.validity.rangeUnderflow).toBe(true);
    expect(screen.queryByText('Defaults saved.')).toBeNull();
    expect(await api.load()).toEqual(DEFAULTS);
  });

  it('explains a storage failure', async () => {
    const broken: DefaultsApi = {
      load: vi.fn(async () => DEFAULTS),
      save: vi.fn(async () => Promise.reject(new Error('QuotaExceededError'))),
    };
    render(<DefaultsForm api={broken} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Save defaults' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Something went wrong: QuotaExceededError. Try again.');
  });
});

const report: InstanceReport = {
  live: { kind: 'companion', version: '10.15.2', productName: 'Add to Cloud companion', maintenance: false },
  links: parseLinkPolicy({
    files_sharing: {
      public: {
        enabled: true,
        password: { enforced: true },
        expire_date: { enabled: true, days: 14, enforced: true },
        upload: false,
      },
    },
  }),
  federation: { outgoing: true, incoming: false },
};

function fakeDiagnostics(over: Partial<DiagnosticsApi> = {}): DiagnosticsApi {
  return {
    instances: vi.fn(async () => [
      {
        id: 'a',
        label: 'Alice — alice@cloud.example.com',
        baseUrl: 'https://cloud.example.com',
        kind: 'Nextcloud',
        version: '31.0.4',
      },
    ]),
    hasPermission: vi.fn(async () => true),
    requestPermission: vi.fn(async () => true),
    report: vi.fn(async () => report),
    ...over,
  };
}

describe('InstanceDiagnostics', () => {
  it('shows the permission, what was detected and what the server says now', async () => {
    render(<InstanceDiagnostics api={fakeDiagnostics()} version={0} />);
    await waitFor(() => expect(screen.getByTestId('permission').textContent).toBe('Allowed to talk to this server'));
    await waitFor(() =>
      expect(screen.getByTestId('live-status').textContent).toBe('Online: Add to Cloud companion 10.15.2'),
    );
    const card = screen.getByTestId('instance').textContent!;
    expect(card).toContain('Nextcloud 31.0.4');
    expect(card).toContain('required, at most 14 days');
    expect(card).toContain('sending: yes, receiving: no');
  });

  it('offers to allow a missing permission', async () => {
    const api = fakeDiagnostics({ hasPermission: vi.fn(async () => false) });
    render(<InstanceDiagnostics api={api} version={0} />);
    await waitFor(() => expect(screen.getByTestId('permission').textContent).toContain('Not allowed'));
    fireEvent.click(screen.getByRole('button', { name: 'Allow' }));
    await waitFor(() => expect(screen.getByTestId('permission').textContent).toBe('Allowed to talk to this server'));
    expect(api.requestPermission).toHaveBeenCalledWith('https://cloud.example.com');
  });

  it('explains failures per part and checks again on request', async () => {
    const api = fakeDiagnostics({
      report: vi.fn(async (): Promise<InstanceReport> => ({
        liveError: new InstanceError('unreachable'),
        capabilitiesError: new InstanceError('unauthorized'),
      })),
    });
    render(<InstanceDiagnostics api={api} version={0} />);
    const alerts = await screen.findAllByRole('alert');
    expect(alerts.map((a) => a.textContent)).toEqual([
      'Your cloud could not be reached. Check your connection, then try again.',
      expect.stringContaining('Reconnect this account in the settings'),
    ]);
    fireEvent.click(screen.getByRole('button', { name: 'Check again' }));
    await waitFor(() => expect(api.report).toHaveBeenCalledTimes(2));
  });

  // diagnose() names what is wrong with status.php as a problem; the card once said only "something unexpected".
  it('names a status.php problem instead of a bare bad answer', async () => {
    const api = fakeDiagnostics({
      report: vi.fn(async (): Promise<InstanceReport> => ({
        liveError: new InstanceError('bad-response', undefined, undefined, {
          problem: { code: 'not-installed', server: 'https://cloud.example.com' },
        }),
      })),
    });
    render(<InstanceDiagnostics api={api} version={0} />);
    expect((await screen.findByRole('alert')).textContent).toBe(
      'The server at https://cloud.example.com is not fully installed yet.',
    );
  });

  it('says when no cloud is connected', async () => {
    render(<InstanceDiagnostics api={fakeDiagnostics({ instances: vi.fn(async () => []) })} version={0} />);
    expect(await screen.findByText('No cloud connected yet.')).toBeTruthy();
  });
});
