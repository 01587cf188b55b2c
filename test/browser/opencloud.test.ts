import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, ocs } from '../integration/helpers/http';
import { startNode, type TestNode } from '../integration/helpers/node';
import {
  OC_LINKS,
  OC_PASSWORD,
  fakeOpenCloud,
  readOpenCloud,
  type FakeOpenCloud,
} from '../integration/helpers/fake-opencloud';
import type { ExtensionBrowser } from './support/chromium';
import { addFromSharePage as addFrom } from './support/flows';
import { SHARER_HOST } from './support/hosts';
import { BOB } from './support/nodes';
import { launchConnectedToBob } from './support/setup';

/**
 * An OpenCloud share page, end to end (issue 13): bob's own cloud is a companion; the sharer is a fake OpenCloud on
 * the sharers' host answering with a real server's recorded answers (its share page is the web app's shell, which
 * names nothing). The extension confirms the link with tokeninfo — and, for a password link, which tokeninfo answers
 * like an unknown one, with the link's public WebDAV — then bob's companion mounts it and the add is verified.
 */
let opencloud: FakeOpenCloud;
let bob: TestNode;
let browser: ExtensionBrowser;

const linkUrl = (token: string) => `${opencloud.url}/s/${token}`;
const remoteShares = async () =>
  (
    await ocs(`${bob.url}/ocs/v2.php/apps/files_sharing/api/v1/remote_shares`, 'GET', {
      auth: [BOB.name, BOB.password],
    })
  ).body.ocs.data as { share_token: string; mountpoint: string }[];

beforeAll(async () => {
  [opencloud, bob] = await Promise.all([fakeOpenCloud({ host: SHARER_HOST }), startNode({ users: [BOB] })]);
  browser = await launchConnectedToBob(bob);
});

afterAll(async () => {
  await browser?.close();
  await Promise.all([opencloud?.close(), bob?.stop()]);
});

describe('adding an OpenCloud link to your own (companion) cloud', () => {
  it('adds a folder link: confirmed by tokeninfo, mounted through public-files, verified on bob’s cloud', async () => {
    const confirm = await addFrom(browser, linkUrl(OC_LINKS.folder));
    expect(await confirm.getByTestId('outcome').textContent()).toBe(`Added to your cloud as “/${OC_LINKS.folder}”.`);
    const file = await call(`${bob.url}/remote.php/dav/files/bob/${OC_LINKS.folder}/hello.txt`, 'GET', {
      auth: [BOB.name, BOB.password],
    });
    expect(await file.text()).toBe(readOpenCloud('public-dav-folder-get').body);
    await confirm.close();
  });

  it('adds a single-file link as its file', async () => {
    const confirm = await addFrom(browser, linkUrl(OC_LINKS.file));
    expect(await confirm.getByTestId('outcome').textContent()).toBe('Added to your cloud as “/report.txt”.');
    expect((await remoteShares()).some((s) => s.share_token === OC_LINKS.file)).toBe(true);
    await confirm.close();
  });

  it('takes a password link for one (not for an unknown link), refuses a wrong password, adds with the right one', async () => {
    const wrong = await addFrom(browser, linkUrl(OC_LINKS.password), { password: 'Wrong-123!' });
    expect(await wrong.getByTestId('outcome').textContent()).toBe(
      'Could not add the share: The share password is wrong. Check it with the person who shared it.',
    );
    await wrong.close();
    const right = await addFrom(browser, linkUrl(OC_LINKS.password), { password: OC_PASSWORD });
    expect(await right.getByTestId('outcome').textContent()).toBe(`Added to your cloud as “/${OC_LINKS.password}”.`);
    const file = await call(`${bob.url}/remote.php/dav/files/bob/${OC_LINKS.password}/hello.txt`, 'GET', {
      auth: [BOB.name, BOB.password],
    });
    expect(file.status).toBe(200);
    await right.close();
    // The password went to OpenCloud as the web client sends it, from the share tab and from bob's companion.
    const sent = opencloud.received.filter(
      (r) => r.path.startsWith(`/remote.php/dav/public-files/${OC_LINKS.password}`) && r.authorization,
    );
    const users = sent.map((r) => Buffer.from(r.authorization!.replace(/^Basic /, ''), 'base64').toString());
    expect(users.every((u) => u.startsWith('public:'))).toBe(true);
    expect(users).toContain(`public:${OC_PASSWORD}`);
  });

  it('offers nothing for an unknown link (tokeninfo 996 and public WebDAV 404)', async () => {
    const page = await browser.context.newPage();
    await page.goto(linkUrl(OC_LINKS.unknown));
    await page.waitForTimeout(3000);
    expect(await page.locator('[data-add-to-cloud]').count()).toBe(0);
    expect(
      opencloud.received.some(
        (r) => r.method === 'PROPFIND' && r.path.startsWith(`/remote.php/dav/public-files/${OC_LINKS.unknown}`),
      ),
    ).toBe(true);
    await page.close();
  });
});
