import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { TestNode } from '../integration/helpers/node';
import type { ExtensionBrowser } from './support/chromium';
import { addFromSharePage } from './support/flows';
import { ALICE, createLink } from './support/nodes';
import { waitForHost } from './support/page-tools';
import { closeAll, launchConnectedToBob, startAliceAndBob } from './support/setup';

/**
 * The store screenshots (store/README.md): the real extension against real companion nodes, each view shot at its
 * natural size and set on a 1280×800 canvas with one line of caption — the size the Chrome Web Store requires and
 * addons.mozilla.org accepts. UPDATE_SCREENSHOTS=1 writes them to store/screenshots; ordinary runs to .output.
 */
const ROOT = path.resolve(import.meta.dirname, '../..');
const SHOTS = path.join(ROOT, process.env.UPDATE_SCREENSHOTS ? 'store/screenshots' : '.output/store-screenshots');
const STORE = { width: 1280, height: 800 };

let alice: TestNode;
let bob: TestNode;
let browser: ExtensionBrowser;

const png = async (page: Page) => `data:image/png;base64,${(await page.screenshot()).toString('base64')}`;

/** Sets the images on a 1280×800 canvas under a caption and saves it as `name`.png. */
async function compose(name: string, caption: string, images: { src: string; width: number }[]): Promise<void> {
  const canvas = await browser.context.newPage();
  await canvas.setViewportSize(STORE);
  await canvas.setContent(`<!doctype html><body style="margin:0;width:1280px;height:800px;display:flex;flex-direction:column;
    align-items:center;justify-content:center;gap:28px;background:#eef3fd;font:600 30px system-ui,sans-serif;color:#12306e">
    <div></div><div style="display:flex;gap:32px;align-items:center"></div></body>`);
  await canvas.evaluate(
    ({ caption, images }) => {
      const [title, row] = document.body.children as unknown as [HTMLElement, HTMLElement];
      title.textContent = caption;
      for (const image of images) {
        const img = document.createElement('img');
        img.src = image.src;
        img.style.cssText = `width:${image.width}px;max-height:660px;object-fit:contain;border-radius:10px;box-shadow:0 8px 30px #0003`;
        row.append(img);
      }
    },
    { caption, images },
  );
  await canvas.waitForFunction(() => [...document.images].every((img) => img.complete));
  mkdirSync(SHOTS, { recursive: true });
  await canvas.screenshot({ path: path.join(SHOTS, `${name}.png`) });
  await canvas.close();
}

beforeAll(async () => {
  [alice, bob] = await startAliceAndBob(
    { 'Holiday photos/beach.txt': 'sunny', 'Holiday photos/notes.txt': 'hi' },
    { 'Documents/report.txt': 'q4', 'Photos/cat.txt': 'meow', 'Projects/': '' },
  );
  browser = await launchConnectedToBob(bob);
});

afterAll(() => closeAll(browser, alice, bob));

it('shoots the store screenshots at 1280×800', async () => {
  const link = await createLink(alice, ALICE, '/Holiday photos');

  const share = await browser.context.newPage();
  await share.setViewportSize({ width: 1000, height: 620 });
  await share.goto(link);
  expect(await waitForHost(share)).toBe(true);
  await compose('1-share-page', 'Open a share link: the button is on the page', [
    { src: await png(share), width: 1000 },
  ]);
  await share.close();

  const confirm = await addFromSharePage(browser, link);
  await confirm.setViewportSize({ width: 480, height: 420 });
  expect(await confirm.getByTestId('outcome').textContent()).toBe('Added to your cloud as “/Holiday photos”.');
  await compose('2-added', 'Confirm once: the share is in your own cloud', [{ src: await png(confirm), width: 480 }]);

  const popup = await browser.context.newPage();
  await popup.setViewportSize({ width: 440, height: 600 });
  await popup.goto(`chrome-extension://${browser.extensionId}/popup.html`);
  await popup.getByTestId('status').waitFor();
  await popup.getByRole('button', { name: 'Choose a file or folder' }).click();
  await popup.getByTestId('file-row').filter({ hasText: 'Documents' }).waitFor();
  const browsing = await png(popup);
  await popup.getByRole('button', { name: 'Share Documents', exact: true }).click();
  await popup.getByTestId('chosen-item').filter({ hasText: 'Documents' }).waitFor();
  await compose('3-share-from-your-cloud', 'Share from your cloud: links with password and expiry', [
    { src: browsing, width: 440 },
    { src: await png(popup), width: 440 },
  ]);

  const options = await browser.context.newPage();
  await options.setViewportSize({ width: 1000, height: 640 });
  await options.goto(`chrome-extension://${browser.extensionId}/options.html`);
  await options.getByText(`bob@${bob.url}`).first().waitFor();
  await compose('4-settings', 'Your clouds, your defaults, and what the extension sees', [
    { src: await png(options), width: 1000 },
  ]);

  for (const name of ['1-share-page', '2-added', '3-share-from-your-cloud', '4-settings']) {
    const data = readFileSync(path.join(SHOTS, `${name}.png`));
    expect([data.readUInt32BE(16), data.readUInt32BE(20)], name).toEqual([STORE.width, STORE.height]);
  }
});
