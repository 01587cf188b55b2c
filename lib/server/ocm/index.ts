import type { Routes } from '../http/router';
import { registerOcmDiscovery } from './discovery';
import { registerOcmNotifications } from './notifications';
import { registerOcmShares } from './shares';

// Open Cloud Mesh: discovery, and the /shares and /notifications endpoints peers call.
export function registerOcm(routes: Routes): void {
  registerOcmDiscovery(routes);
  registerOcmShares(routes);
  registerOcmNotifications(routes);
}
