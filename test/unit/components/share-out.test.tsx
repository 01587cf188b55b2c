import { fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import type { ComponentProps } from 'preact';
import { describe, expect, it, vi } from 'vitest';
import type { ShareOutApi } from '@/lib/ui/share-out-api';
import { CloudIdShare } from '@/components/share-out/CloudIdShare';
import { FileBrowser, MAX_ROWS } from '@/components/share-out/FileBrowser';
import { LinkForm } from '@/components/share-out/LinkForm';
import { LinkList } from '@/components/share-out/LinkList';
import { LinkResult } from '@/components/share-out/LinkResult';
import { ShareFromCloud } from '@/components/share-out/ShareFromCloud';
import { PopupView } from '@/components/PopupView';
import { InstanceError } from '@/lib/instance/errors';
import type { FileItem, FolderListing } from '@/lib/share-out/files';
import type { LinkShare } from '@/lib/share-out/links';
import { parseLinkPolicy, type LinkPolicy } from '@/lib/share-out/policy';
import { DEFAULTS } from '@/lib/share-out/settings';

const item = (path: string, isFolder: boolean): FileItem => ({
  path,
  name: path.split('/').at(-1)!,
  isFolder,
  size: 1,
  modified: 0,
});
const FILES: Record<string, FileItem[]> = {
  '/': [item('/Photos', true), item('/Empty', true), item('/<img src=x> Q4 😀.txt', false)],
  '/Photos': [item('/Photos/cat.jpg', false)],
  '/Empty': [],
};
const open: LinkPolicy = parseLinkPolicy({
  files_sharing: {
    public: { enabled: true, password: { enforced: false }, expire_date: { enabled: false }, upload: true },
  },
});
const strict: LinkPolicy = parseLinkPolicy({
  files_sharing: {
    public: {
      enabled: true,
      password: { enforced: true },
      expire_date: { enabled: true, days: 7, enforced: true },
      upload: true,
    },
  },
});
const created: LinkShare = {
  id: '5',
  url: 'https://cloud.example.com/s/AbC123',
  permissions: 1,
  expireDate: '2026-12-04',
  label: '',
  hasPassword: true,
};
const today = new Date(Date.UTC(2026, 10, 27, 12));

const ALICE = { id: 'a1', displayName: 'Alice', cloudId: 'alice@cloud.example.com', isDefault: true };

function fakeApi(over: Partial<ShareOutApi> = {}): ShareOutApi {
  const api: ShareOutApi = {
    accounts: vi.fn(async () => [ALICE]),
    forAccount: vi.fn(() => api),
    policy: vi.fn(async () => open),
    defaults: vi.fn(async () => DEFAULTS),
    list: vi.fn(async (path: string) => {
      const found = FILES[path];
      if (!found) throw new InstanceError('not-found', undefined, 404);
      return { items: found };
    }),
    shares: vi.fn(async () => ({ links: [], cloud: [] })),
    createLink: vi.fn(async () => created),
    revoke: vi.fn(async () => {}),
    shareWithCloudId: vi.fn(async (_path: string, cloudId: string) => ({ id: '9', shareWith: cloudId })),
    copy: vi.fn(async () => {}),
    openOptions: vi.fn(),
    ...over,
  };
  return api;
}

describe('ShareFromCloud in the popup', () => {
  it('is offered only on pages without a share', async () => {
    const api = fakeApi();
    const { rerender } = render(<PopupView share={null} onAdd={vi.fn()} shareOut={api} />);
    expect(await screen.findByRole('button', { name: 'Choose a file or folder' })).toBeTruthy();
    expect(
      screen.getByText('Share a file or folder of Alice (alice@cloud.example.com) by link or with someone’s cloud id.'),
    ).toBeTruthy();
    rerender(<PopupView share={undefined} onAdd={vi.fn()} shareOut={api} />);
    expect(screen.queryByRole('heading', { name: 'Share from my cloud' })).toBeNull();
  });

  it('makes room while the files are open: the page status and the history step aside', async () => {
    render(<PopupView share={null} onAdd={vi.fn()} shareOut={fakeApi()} />);
    expect(screen.getByRole('heading', { name: 'Recently added' })).toBeTruthy();
    fireEvent.click(await screen.findByRole('button', { name: 'Choose a file or folder' }));
    await screen.findByRole('button', { name: 'Share Photos' });
    expect(screen.queryByRole('heading', { name: 'Recently added' })).toBeNull();
    expect(screen.queryByTestId('status')).toBeNull();
  });

  it('asks to connect a cloud first when there is none', async () => {
    const api = fakeApi({ accounts: vi.fn(async () => []) });
    render(<ShareFromCloud api={api} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Connect your cloud' }));
    expect(api.openOptions).toHaveBeenCalledOnce();
    expect(screen.queryByRole('button', { name: 'Choose a file or folder' })).toBeNull();
  });

  it('browses, picks a file and creates a link with the generated password, then lists it', async () => {
    let links: LinkShare[] = [];
    const api = fakeApi({
      createLink: vi.fn(async () => ((links = [created]), created)),
      shares: vi.fn(async () => ({ links, cloud: [] })),
    });
    render(<ShareFromCloud api={api} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Choose a file or folder' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Share <img src=x> Q4 😀.txt' }));
    expect((await screen.findByTestId('chosen-item')).textContent).toContain('<img src=x> Q4 😀.txt');
    expect(api.policy).toHaveBeenCalledOnce();
    // A file offers only "view"; the defaults switch the password on with a generated one.
    expect(screen.getAllByRole('radio')).toHaveLength(1);
    const password = (screen.getByLabelText('Link password') as HTMLInputElement).value;
    expect(password).toHaveLength(20);
    fireEvent.click(screen.getByRole('button', { name: 'Create link' }));
    expect(((await screen.findByTestId('link-url')) as HTMLInputElement).value).toBe(created.url);
    expect(api.createLink).toHaveBeenCalledWith(
      '/<img src=x> Q4 😀.txt',
      expect.objectContaining({ permissions: 'view', password, label: '' }),
    );
    expect(await screen.findByTestId('existing-link')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Back to the files' }));
    expect((await screen.findByTestId('folder')).textContent).toBe('All files');
  });

  it('explains why the rules could not be read', async () => {
    const api = fakeApi({ policy: vi.fn(async () => Promise.reject(new InstanceError('unauthorized'))) });
    render(<ShareFromCloud api={api} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Choose a file or folder' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Share Photos' }));
    expect((await screen.findByRole('alert')).textContent).toContain('Reconnect this account in the settings');
  });
});

describe('FileBrowser', () => {
  it('opens folders, goes up, and shares the folder it is in', async () => {
    const onPick = vi.fn();
    render(<FileBrowser api={fakeApi()} onPick={onPick} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Open folder Photos' }));
    expect((await screen.findByTestId('folder')).textContent).toBe('Photos');
    // The clicked row is gone: focus moves to the new folder's heading, not to the top of the page.
    expect(document.activeElement).toBe(screen.getByTestId('folder'));
    expect((await screen.findAllByTestId('file-row'))[0]!.textContent).toContain('cat.jpg');
    fireEvent.click(screen.getByRole('button', { name: 'Share this folder' }));
    expect(onPick).toHaveBeenCalledWith({ path: '/Photos', name: 'Photos', isFolder: true }, '/');
    fireEvent.click(screen.getByRole('button', { name: 'Up one folder' }));
    expect((await screen.findByTestId('folder')).textContent).toBe('All files');
  });

  it('renders names with markup and emoji as text', async () => {
    const { container } = render(<FileBrowser api={fakeApi()} onPick={vi.fn()} />);
    await screen.findAllByTestId('file-row');
    expect(container.textContent).toContain('<img src=x> Q4 😀.txt');
    expect(container.querySelector('img')).toBeNull();
  });

  it('says when a folder is empty', async () => {
    render(<FileBrowser api={fakeApi()} start="/Empty" onPick={vi.fn()} />);
    expect(await screen.findByText('This folder is empty.')).toBeTruthy();
  });

  it('shows at most a page of a huge folder and the filter finds the rest', async () => {
    const many = Array.from({ length: 5000 }, (_, i) => item(`/file-${String(i).padStart(4, '0')}.txt`, false));
    render(<FileBrowser api={fakeApi({ list: vi.fn(async () => ({ items: many })) })} onPick={vi.fn()} />);
    expect(await screen.findAllByTestId('file-row')).toHaveLength(MAX_ROWS);
    expect(
      screen.getByText(`Showing ${MAX_ROWS} of 5000 entries. Type part of a name to find the others.`),
    ).toBeTruthy();
    fireEvent.input(screen.getByLabelText('Filter by name'), { target: { value: 'FILE-4999' } });
    const rows = screen.getAllByTestId('file-row');
    expect(rows).toHaveLength(1);
    expect(rows[0]!.textContent).toContain('file-4999.txt');
    fireEvent.input(screen.getByLabelText('Filter by name'), { target: { value: 'nothing like it' } });
    expect(screen.getByText('No name in this folder contains “nothing like it”. Change the filter.')).toBeTruthy();
  });

  it('shows progress, then the error with a way to try again', async () => {
    let fail = true;
    let release = () => {};
    const list = vi.fn(
      () =>
        new Promise<FolderListing>(
          (resolve, reject) =>
            (release = () => (fail ? reject(new InstanceError('unreachable')) : resolve({ items: FILES['/']! }))),
        ),
    );
    render(<FileBrowser api={fakeApi({ list })} onPick={vi.fn()} />);
    expect(screen.getByRole('status').textContent).toContain('Loading the folder…');
    release();
    expect((await screen.findByRole('alert')).textContent).toBe(
      'Your cloud could not be reached. Check your connection, then try again.',
    );
    fail = false;
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    release();
    expect(await screen.findAllByTestId('file-row')).toHaveLength(3);
    expect(screen.queryByRole('alert')).toBeNull();
  });
});

/** LinkForm for the folder /Photos on `today`, with the default settings; a test overrides what it is about. */
const renderLinkForm = (
  props: Pick<ComponentProps<typeof LinkForm>, 'policy'> & Partial<ComponentProps<typeof LinkForm>>,
) =>
  render(
    <LinkForm
      api={fakeApi()}
      item={{ path: '/Photos', name: 'Photos', isFolder: true }}
      defaults={DEFAULTS}
      onCreated={vi.fn()}
      today={today}
      {...props}
    />,
  );

describe('LinkForm', () => {
  it('offers upload choices for folders and sends the chosen permission, expiry and label', async () => {
    const api = fakeApi();
    const onCreated = vi.fn();
    renderLinkForm({ api, policy: open, defaults: { ...DEFAULTS, passwordByDefault: false }, onCreated });
    expect(screen.getAllByRole('radio')).toHaveLength(3);
    fireEvent.click(screen.getByLabelText('Only upload (file drop)'));
    expect(screen.queryByLabelText('Link password')).toBeNull();
    expect((screen.getByLabelText('Expiry date') as HTMLInputElement).value).toBe('2026-12-04');
    fireEvent.input(screen.getByLabelText('Label (only you see it)'), { target: { value: ' Drop for Bob ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create link' }));
    await waitFor(() => expect(onCreated).toHaveBeenCalledWith(created, ''));
    expect(api.createLink).toHaveBeenCalledWith('/Photos', {
      isFolder: true,
      permissions: 'upload-only',
      password: '',
      expireDate: '2026-12-04',
      label: 'Drop for Bob',
    });
  });

  it('follows an enforced policy: password and expiry cannot be switched off, the date is kept inside the maximum', () => {
    renderLinkForm({ policy: strict, defaults: { ...DEFAULTS, expiryDays: 30, passwordByDefault: false } });
    expect((screen.getByLabelText('Protect with a password') as HTMLInputElement).disabled).toBe(true);
    expect((screen.getByLabelText('Protect with a password') as HTMLInputElement).checked).toBe(true);
    expect(screen.getByText('Your cloud requires a password for this kind of link.')).toBeTruthy();
    const date = screen.getByLabelText('Expiry date') as HTMLInputElement;
    expect(date.value).toBe('2026-12-04');
    expect(date.max).toBe('2026-12-04');
    expect((screen.getByLabelText('Expires on a date') as HTMLInputElement).disabled).toBe(true);
  });

  it('lists every policy violation and does not ask the server', async () => {
    const api = fakeApi();
    renderLinkForm({ api, policy: strict });
    fireEvent.input(screen.getByLabelText('Link password'), { target: { value: '   ' } });
    fireEvent.input(screen.getByLabelText('Expiry date'), { target: { value: '2027-06-01' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create link' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('The link was not created:');
    expect(
      within(alert)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual([
      'Your cloud requires a password for this kind of link.',
      'Your cloud allows links to last at most 7 days.',
    ]);
    expect(api.createLink).not.toHaveBeenCalled();
  });

  it('generates a new password on request and shows a server refusal', async () => {
    const api = fakeApi({
      createLink: vi.fn(async () =>
        Promise.reject(new InstanceError('rejected', 'Cannot set expiration date more than 7 days in the future', 404)),
      ),
    });
    renderLinkForm({ api, policy: open });
    const field = screen.getByLabelText('Link password') as HTMLInputElement;
    const first = field.value;
    fireEvent.click(screen.getByRole('button', { name: 'New strong password' }));
    expect(field.value).not.toBe(first);
    fireEvent.click(screen.getByRole('button', { name: 'Create link' }));
    expect((await screen.findByRole('alert')).textContent).toBe(
      'Your cloud refused: “Cannot set expiration date more than 7 days in the future”. Change what it names and try again.',
    );
  });
});

describe('LinkForm validation follows the input', () => {
  const ownCloudPolicy = parseLinkPolicy({
    files_sharing: {
      public: {
        enabled: true,
        // ownCloud 10 enforcing a password only for file drops: `enforced` is set too, enforced_for says for which.
        password: {
          enforced: true,
          enforced_for: { read_only: false, read_write: false, upload_only: true, read_write_delete: false },
        },
        expire_date: { enabled: true, days: 7, enforced: true },
        upload: true,
      },
    },
  });

  it('is the form’s own validation, not the browser’s', () => {
    const { container } = renderLinkForm({ policy: ownCloudPolicy });
    expect(container.querySelector('form')!.noValidate).toBe(true);
  });

  it('asks a password only for the kinds enforced_for names', () => {
    renderLinkForm({ policy: ownCloudPolicy, defaults: { ...DEFAULTS, passwordByDefault: false } });
    const box = screen.getByLabelText('Protect with a password') as HTMLInputElement;
    expect([box.checked, box.disabled]).toEqual([false, false]);
    fireEvent.click(screen.getByLabelText('Only upload (file drop)'));
    expect([box.checked, box.disabled]).toEqual([true, true]);
    fireEvent.click(screen.getByLabelText('View, download and upload'));
    expect([box.checked, box.disabled]).toEqual([false, false]);
  });

  it('replaces a message when the input changes: a server refusal goes, a date past the maximum is named', async () => {
    const api = fakeApi({
      createLink: vi.fn(async () =>
        Promise.reject(new InstanceError('rejected', 'Passwords are enforced for link shares', 403)),
      ),
    });
    renderLinkForm({ api, policy: ownCloudPolicy, defaults: { ...DEFAULTS, passwordByDefault: false } });
    fireEvent.click(screen.getByRole('button', { name: 'Create link' }));
    expect((await screen.findByRole('alert')).textContent).toContain('Passwords are enforced for link shares');
    // Past the maximum: the popup explains (the browser's max would have blocked silently), the old refusal is gone.
    fireEvent.input(screen.getByLabelText('Expiry date'), { target: { value: '2026-12-20' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create link' }));
    const alert = await screen.findByRole('alert');
    expect(
      within(alert)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual(['Your cloud allows links to last at most 7 days.']);
    expect(screen.queryByText(/Passwords are enforced/)).toBeNull();
    expect(api.createLink).toHaveBeenCalledOnce();
    // Fixed in the field: the message goes at once, before the next click.
    fireEvent.input(screen.getByLabelText('Expiry date'), { target: { value: '2026-12-02' } });
    expect(screen.queryByRole('alert')).toBeNull();
    // A new problem shows at once too.
    fireEvent.input(screen.getByLabelText('Expiry date'), { target: { value: '2026-11-20' } });
    expect(screen.getByRole('alert').textContent).toContain('must be in the future');
  });
});

describe('received items', () => {
  const received = (canReshare: boolean): FileItem => ({
    ...item('/Fed Folder', true),
    ownership: { received: true, canReshare, sharedOut: false },
  });

  it('are marked in the list, explained, and offer no link; a cloud id share where resharing is allowed', async () => {
    const api = fakeApi({ list: vi.fn(async () => ({ items: [received(true), item('/Photos', true)] })) });
    render(<ShareFromCloud api={api} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Choose a file or folder' }));
    const rows = await screen.findAllByTestId('file-row');
    expect(rows.map((r) => !!within(r).queryByTestId('received-badge'))).toEqual([true, false]);
    fireEvent.click(screen.getByRole('button', { name: 'Share Fed Folder' }));
    expect((await screen.findByTestId('received-note')).textContent).toContain('only its owner can make a public link');
    expect(screen.getByTestId('received-note').textContent).toContain('you can share it with someone’s cloud id below');
    expect(screen.queryByRole('button', { name: 'Create link' })).toBeNull();
    fireEvent.input(screen.getByLabelText('Cloud id of the person'), { target: { value: 'bob@other.example' } });
    fireEvent.click(screen.getByRole('button', { name: 'Share', exact: true }));
    await waitFor(() => expect(api.shareWithCloudId).toHaveBeenCalledWith('/Fed Folder', 'bob@other.example'));
    expect(api.createLink).not.toHaveBeenCalled();
  });

  it('without the reshare right, explain and offer nothing to send', async () => {
    const api = fakeApi({ list: vi.fn(async () => ({ items: [received(false)] })) });
    render(<ShareFromCloud api={api} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Choose a file or folder' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Share Fed Folder' }));
    expect((await screen.findByTestId('received-note')).textContent).toContain('does not allow passing it on');
    expect(screen.queryByRole('button', { name: 'Create link' })).toBeNull();
    expect(screen.queryByLabelText('Cloud id of the person')).toBeNull();
  });

  it('“Share this folder” inside a received folder knows it is received', async () => {
    const api = fakeApi({ list: vi.fn(async () => ({ folder: received(false), items: [] })) });
    render(<FileBrowser api={api} start="/Fed Folder" onPick={vi.fn()} />);
    const onPick = vi.fn();
    render(<FileBrowser api={api} start="/Fed Folder" onPick={onPick} />);
    await waitFor(() => expect(api.list).toHaveBeenCalledTimes(2));
    await screen.findAllByText('This folder is empty.');
    fireEvent.click(screen.getAllByRole('button', { name: 'Share this folder' })[1]!);
    expect(onPick).toHaveBeenCalledWith(
      expect.objectContaining({
        path: '/Fed Folder',
        ownership: { received: true, canReshare: false, sharedOut: false },
      }),
      '/',
    );
  });
});

describe('the account picker', () => {
  const BOB = { id: 'b2', displayName: 'Bob', cloudId: 'bob@other.example', isDefault: false };

  it('is not shown with one account', async () => {
    render(<ShareFromCloud api={fakeApi()} />);
    await screen.findByRole('button', { name: 'Choose a file or folder' });
    expect(screen.queryByLabelText('Share from')).toBeNull();
  });

  it('offers every connected cloud, the default first, and shares from the chosen one', async () => {
    const bobsFiles = fakeApi({ list: vi.fn(async () => ({ items: [item('/Bob only', true)] })) });
    const api = fakeApi({ accounts: vi.fn(async () => [ALICE, BOB]) });
    api.forAccount = vi.fn((id: string) => (id === BOB.id ? bobsFiles : api));
    render(<ShareFromCloud api={api} />);
    const picker = (await screen.findByLabelText('Share from')) as HTMLSelectElement;
    expect([...picker.options].map((o) => o.textContent)).toEqual([
      'Alice (alice@cloud.example.com)',
      'Bob (bob@other.example)',
    ]);
    expect(picker.value).toBe(ALICE.id);
    expect(screen.getByText(/Share a file or folder of Alice \(alice@cloud.example.com\)/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Choose a file or folder' }));
    await screen.findByRole('button', { name: 'Share Photos' });
    // Another cloud: its own files, from its top.
    fireEvent.change(picker, { target: { value: BOB.id } });
    fireEvent.click(await screen.findByRole('button', { name: 'Share Bob only' }));
    await screen.findByTestId('chosen-item');
    expect(bobsFiles.list).toHaveBeenCalledWith('/');
    expect(bobsFiles.policy).toHaveBeenCalledOnce();
    expect(api.policy).not.toHaveBeenCalled();
    fireEvent.click(screen.getByRole('button', { name: 'Create link' }));
    await waitFor(() =>
      expect(bobsFiles.createLink).toHaveBeenCalledWith('/Bob only', expect.objectContaining({ permissions: 'view' })),
    );
    expect(api.createLink).not.toHaveBeenCalled();
  });
});

describe('LinkResult', () => {
  const file = { path: '/a.txt', name: 'a & b.txt', isFolder: false };

  it('copies link and password apart and mails the link without the password', async () => {
    const api = fakeApi();
    render(<LinkResult api={api} item={file} link={created} password="S3cret-pw" senderName="Alice" />);
    fireEvent.click(screen.getByRole('button', { name: 'Copy link' }));
    expect(await screen.findByText('Link copied.')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Copy password' }));
    expect(await screen.findByText('Password copied.')).toBeTruthy();
    expect(api.copy).toHaveBeenNthCalledWith(1, created.url);
    expect(api.copy).toHaveBeenNthCalledWith(2, 'S3cret-pw');
    const mail = new URL(screen.getByRole('link', { name: 'Send by email' }).getAttribute('href')!);
    expect(mail.searchParams.get('subject')).toBe('Alice shared “a & b.txt” with you');
    expect(mail.searchParams.get('body')).toContain(created.url);
    expect(mail.searchParams.get('body')).toContain('until Dec 4, 2026');
    expect(mail.href).not.toContain('S3cret');
  });

  it('has no password button without a password, and explains a failed copy', async () => {
    render(
      <LinkResult
        api={fakeApi({ copy: vi.fn(async () => Promise.reject(new Error('denied'))) })}
        item={file}
        link={created}
        password=""
        senderName="Alice"
      />,
    );
    expect(screen.queryByRole('button', { name: 'Copy password' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Copy link' }));
    expect(await screen.findByText('Could not copy. Select the text and press Ctrl+C.')).toBeTruthy();
  });
});

describe('LinkList', () => {
  it('lists links and cloud shares and revokes one', async () => {
    let links: LinkShare[] = [
      created,
      { ...created, id: '6', label: '<i>Team</i>', hasPassword: false, expireDate: '' },
      { ...created, id: '7', label: 'Inbox', permissions: 5 },
      { ...created, id: '8', label: 'Drop', permissions: 4 },
      // Made in Nextcloud's own UI: "Allow upload and editing", with the share bit.
      { ...created, id: '10', label: 'Shared edit', permissions: 31 },
    ];
    const api = fakeApi({
      shares: vi.fn(async () => ({ links, cloud: [{ id: '9', shareWith: 'bob@other.example' }] })),
      revoke: vi.fn(async (id: string) => void (links = links.filter((l) => l.id !== id))),
    });
    const { container } = render(<LinkList api={api} path="/Photos" version={0} />);
    const rows = await screen.findAllByTestId('existing-link');
    // Each link says what visitors may do (a file drop is no view link), in the user's date format.
    expect(screen.getAllByTestId('link-facts').map((r) => r.textContent)).toEqual([
      'view only · password · Works until Dec 4, 2026',
      'view only · No expiry',
      'view and upload · password · Works until Dec 4, 2026',
      'upload only (file drop) · password · Works until Dec 4, 2026',
      'view, upload, change and delete · password · Works until Dec 4, 2026',
    ]);
    expect(rows).toHaveLength(5);
    expect(container.querySelector('i')).toBeNull();
    expect(screen.getByTestId('existing-cloud-share').textContent).toContain('bob@other.example');
    fireEvent.click(screen.getByRole('button', { name: 'Revoke <i>Team</i>' }));
    expect(await screen.findByText('Revoked: the link no longer works.')).toBeTruthy();
    await waitFor(() => expect(screen.getAllByTestId('existing-link')).toHaveLength(4));
    expect(api.revoke).toHaveBeenCalledWith('6');
  });

  it('says when there is nothing, and when revoking fails', async () => {
    const api = fakeApi({
      shares: vi.fn(async () => ({ links: [created], cloud: [] })),
      revoke: vi.fn(async () => Promise.reject(new InstanceError('server-error'))),
    });
    render(<LinkList api={api} path="/Photos" version={0} />);
    fireEvent.click(await screen.findByRole('button', { name: `Revoke ${created.url}` }));
    expect((await screen.findByRole('alert')).textContent).toBe('Your cloud had an internal error. Try again later.');
    render(<LinkList api={fakeApi()} path="/Empty" version={0} />);
    expect(await screen.findByText('Not shared yet.')).toBeTruthy();
  });
});

describe('CloudIdShare', () => {
  it('refuses what is not a cloud id without asking the server', () => {
    const api = fakeApi();
    render(<CloudIdShare api={api} path="/Photos" onShared={vi.fn()} />);
    fireEvent.input(screen.getByLabelText('Cloud id of the person'), { target: { value: 'bob' } });
    fireEvent.click(screen.getByRole('button', { name: 'Share' }));
    expect(screen.getByRole('alert').textContent).toContain('That is not a cloud id');
    expect(screen.getByLabelText('Cloud id of the person').getAttribute('aria-invalid')).toBe('true');
    expect(api.shareWithCloudId).not.toHaveBeenCalled();
  });

  it('shares and reports it, or explains the server’s refusal', async () => {
    const onShared = vi.fn();
    render(<CloudIdShare api={fakeApi()} path="/Photos" onShared={onShared} />);
    fireEvent.input(screen.getByLabelText('Cloud id of the person'), { target: { value: ' bob@other.example ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Share' }));
    expect(await screen.findByText('Shared with bob@other.example. They accept it in their cloud.')).toBeTruthy();
    expect(onShared).toHaveBeenCalledOnce();

    const failing = fakeApi({
      shareWithCloudId: vi.fn(async () => Promise.reject(new InstanceError('rejected', 'Remote is unreachable'))),
    });
    render(<CloudIdShare api={failing} path="/Photos" onShared={vi.fn()} />);
    const inputs = screen.getAllByLabelText('Cloud id of the person');
    fireEvent.input(inputs[1]!, { target: { value: 'bob@down.example' } });
    fireEvent.click(screen.getAllByRole('button', { name: 'Share' })[1]!);
    expect((await screen.findByRole('alert')).textContent).toContain('“Remote is unreachable”');
  });
});
