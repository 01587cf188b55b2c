import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';

/**
 * A virtual X display with a minimal window manager, for what no automation protocol may touch: Firefox hides
 * moz-extension:// pages and its own permission prompt from WebDriver BiDi, so the tests use them the way a
 * person does — with the keyboard and mouse, through xdotool, and reading a window's text through the clipboard
 * (Debian's xvfb, matchbox-window-manager, xdotool, xclip).
 */
export interface XDisplay {
  env: NodeJS.ProcessEnv;
  /** Waits until a window whose title contains `name` exists and gives it the focus. */
  focusWindow(name: string): void;
  click(x: number, y: number): void;
  /** A right click (the context menu), at screen coordinates. */
  rightClick(x: number, y: number): void;
  type(text: string): void;
  key(...keys: string[]): void;
  /** The text of the focused window, read as a person would: select all, copy, paste (here: xclip). */
  copyText(): string;
  close(): void;
}

const TOOLS = ['/usr/bin/Xvfb', '/usr/bin/xdotool', '/usr/bin/matchbox-window-manager', '/usr/bin/xclip'];

export async function startXDisplay(display = ':97'): Promise<XDisplay> {
  const missing = TOOLS.filter((tool) => !existsSync(tool));
  if (missing.length)
    throw new Error(
      `Missing ${missing.join(', ')}: npm test installs xvfb, xdotool, matchbox-window-manager and xclip.`,
    );
  const env = { ...process.env, DISPLAY: display };
  const children: ChildProcess[] = [
    spawn('Xvfb', [display, '-screen', '0', '1280x900x24', '-nolisten', 'tcp'], { stdio: 'ignore' }),
  ];
  await waitFor(() => xdotool(env, ['getdisplaygeometry']) !== undefined, 5000, 'Xvfb did not start');
  children.push(spawn('matchbox-window-manager', ['-use_titlebar', 'no'], { stdio: 'ignore', env }));
  await new Promise((resolve) => setTimeout(resolve, 300));
  const run = (args: string[]) => {
    if (xdotool(env, args) === undefined) throw new Error(`xdotool ${args.join(' ')} failed`);
  };
  return {
    env,
    focusWindow: (name) => run(['search', '--sync', '--limit', '1', '--name', name, 'windowactivate', '--sync']),
    click: (x, y) => run(['mousemove', String(x), String(y), 'click', '1']),
    rightClick: (x, y) => run(['mousemove', String(x), String(y), 'click', '3']),
    type: (text) => run(['type', '--delay', '20', text]),
    key: (...keys) => run(['key', ...keys]),
    copyText: () => {
      run(['key', '--delay', '150', 'ctrl+a', 'ctrl+c']);
      return execFileSync('xclip', ['-o', '-selection', 'clipboard'], { env, encoding: 'utf8', timeout: 5000 });
    },
    close: () => children.reverse().forEach((child) => child.kill()),
  };
}

function xdotool(env: NodeJS.ProcessEnv, args: string[]): string | undefined {
  try {
    return execFileSync('xdotool', args, {
      env,
      encoding: 'utf8',
      timeout: 15_000,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
  } catch {
    return undefined;
  }
}

async function waitFor(check: () => boolean, timeoutMs: number, message: string): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline;) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(message);
}
