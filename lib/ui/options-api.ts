import type { InstanceReport } from '@/lib/share-out/diagnostics';
import type { Problem } from '@/lib/problem';
import type { AddSettings } from '@/lib/settings/adding';
import type { ShareDefaults } from '@/lib/share-out/settings';

/*
 * What the options page's components ask of the extension (accounts, connecting, defaults, diagnostics): interfaces
 * only, so the components can be tested with fakes. lib/accounts/options-api.ts, lib/settings/options-api.ts and
 * lib/share-out/options-api.ts are the real ones.
 */

export interface AccountRow {
  id: string;
  label: string;
  details: string;
  isDefault: boolean;
  /** Connected as the bridge, not as one of the user's clouds. */
  isBridge?: boolean;
}

export interface OptionsApi {
  accounts(): Promise<AccountRow[]>;
  makeDefault(id: string): Promise<void>;
  /** Revokes the app password on the server, then forgets the account; `revoked` says whether the server agreed. */
  disconnect(id: string): Promise<{ revoked: boolean }>;
  connect: ConnectApi;
}

/** What the options page's connect logic tells the form after the address was checked. `server`: the address tried. */
export type ConnectStart =
  | { next: 'login-flow'; server: string; insecure: boolean }
  | { next: 'app-password'; server: string; insecure: boolean; appPasswordPage: string; suggestedLogin: string }
  /** The server is what it should be; the host permission is asked for on the user's next click (`allow`). */
  | { next: 'allow'; server: string; product: string }
  | { next: 'error'; problem: Problem };

export interface ConnectApi {
  /**
   * Parses the input and checks the server (status.php), before any permission is asked for. `asBridge`: connect an
   * Add to Cloud server as the bridge for pairs that cannot federate directly, not as the user's cloud.
   */
  start(input: string, asBridge: boolean): Promise<ConnectStart>;
  /** Asks for the host permission of the checked server; must be called synchronously from the user's click. */
  allow(): Promise<ConnectStart>;
  /** Login Flow v2: opens the server's login tab and resolves once access was granted. */
  loginFlow(): Promise<string>;
  /** ownCloud 10: checks and saves a pasted app password. */
  appPassword(loginName: string, appPassword: string): Promise<string>;
}

/** The options page's "Defaults" form: the defaults for new links and the settings for adding, saved together. */
export type OptionsDefaults = ShareDefaults & AddSettings;

export interface DefaultsApi {
  load(): Promise<OptionsDefaults>;
  save(defaults: OptionsDefaults): Promise<OptionsDefaults>;
}

export interface InstanceRow {
  id: string;
  label: string;
  baseUrl: string;
  /** What was recorded when connecting. */
  kind: string;
  version: string;
}

/** The options page's look at each connected instance: the host permission, and what the server says now. */
export interface DiagnosticsApi {
  instances(): Promise<InstanceRow[]>;
  hasPermission(baseUrl: string): Promise<boolean>;
  /** Must be called straight from a click: the browser only shows the prompt within a user gesture. */
  requestPermission(baseUrl: string): Promise<boolean>;
  report(id: string): Promise<InstanceReport>;
}
