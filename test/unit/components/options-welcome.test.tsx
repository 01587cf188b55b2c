import { fireEvent, render, screen } from '@testing-library/preact';
import { describe, expect, it, vi } from 'vitest';
import { OptionsView, type AccountRow, type OptionsApi } from '@/components/OptionsView';

function fakeApi(rows: AccountRow[]): OptionsApi {
  return {
    accounts: vi.fn(async () => rows),
    makeDefault: vi.fn(async () => {}),
    disconnect: vi.fn(async () => ({ revoked: true })),
    connect: {
      start: vi.fn(async () => ({ next: 'login-flow' as const, insecure: false })),
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
    render(<OptionsView api={fakeApi([{ id: 'a', label: 'Bob (bob@bob.example)', details: 'Nextcloud 31.0.2', isDefault: true }])} />);
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
    expect(advanced.textContent).toContain('A bridge is an Add to Cloud server that adds, on your cloud’s behalf, the links your cloud cannot add by itself');
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
    render(<OptionsView api={fakeApi([{ id: 'b', label: 'Bridge (me@bridge.example)', details: 'Add to Cloud companion 10.15.2', isDefault: false, isBridge: true }])} />);
    expect((await screen.findByTestId('account')).textContent).toContain('Add to Cloud companion 10.15.2 · bridge');
  });
});
