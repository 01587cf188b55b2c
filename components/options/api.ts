import type { InstanceReport } from '@/lib/share-out/diagnostics';
import type { ShareDefaults } from '@/lib/share-out/settings';

export interface DefaultsApi {
  load(): Promise<ShareDefaults>;
  save(defaults: ShareDefaults): Promise<ShareDefaults>;
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
