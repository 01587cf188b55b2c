import { randomUUID } from 'node:crypto';
import type { App } from '../context';
import type { NewOutboxNotification, OutboxLimits, OutboxNotification, QueuedNotification } from '../store/outbox';
import {
  NOTIFICATION_ATTEMPT_MAX_MS,
  NOTIFICATION_ATTEMPT_SILENCES,
  NOTIFICATION_LEASE_MS,
  NOTIFICATION_MAX_AGE_MS,
  NOTIFICATION_MAX_BACKOFF_MS,
  MIN_NOTIFICATION_RETRY_MS,
} from '../timeouts';
import { deliverNotification } from './ocm-client';
import { outsideRequestScope } from './request-scope';

// The outbox of OCM notifications (SHARE_ACCEPTED, SHARE_DECLINED, SHARE_UNSHARED). A notification is written to the
// database first and then sent at once, as before, so the usual path is no slower; when the peer does not take it
// (down, 5xx) or this node dies before it could, a node's periodic round (startNotificationRounds) sends it later,
// backing off up to an hour, for a day at most. Any node may send any queued notification; a claim keeps two from
// sending one at once.

/** What the outbox may hold: per peer, and in all (a peer down for good cannot fill the database). */
export const OUTBOX_LIMITS: OutboxLimits = { perRemote: 1000, total: 10_000 };
/** Failed attempts before a notification is given up (with the backoff, the age limit usually comes first). */
export const MAX_NOTIFICATION_ATTEMPTS = 30;
/** Notifications one round sends, at the same time (each waits on its peer at most --remote-timeout of silence). */
const ROUND_SIZE = 20;

export type Notification = Pick<OutboxNotification, 'remote' | 'type' | 'providerId' | 'sharedSecret' | 'message'>;

/**
 * An outbox row for `notification`. It is not due for the periodic round until the lease ends: this node is about to
 * send it itself, and only if it dies first does another node pick it up.
 */
export function queueNotification(notification: Notification): QueuedNotification {
  const now = Date.now();
  return {
    notification: { ...notification, id: randomUUID(), createdAt: now, nextAttemptAt: now + NOTIFICATION_LEASE_MS },
    limits: OUTBOX_LIMITS,
  };
}

/**
 * Queues a notification and sends it at once; one the peer does not take now is sent again later. Never throws: the
 * change it reports is done, and callers may not wait (shares/follow.ts).
 */
export async function sendNotification(app: App, notification: Notification): Promise<void> {
  const queued = queueNotification(notification);
  try {
    if (!(await app.store.enqueueNotification(queued)))
      app.log.warn({ event: 'ocm_outbox_full', type: notification.type, remote: notification.remote }, 'outbox full');
  } catch (error) {
    app.log.warn({ event: 'ocm_outbox_unavailable', type: notification.type, err: error }, 'notification not queued');
  }
  // Full or not queued: this one still gets its attempt now, as before the outbox (there is then no row to update).
  await deliverQueued(app, queued.notification);
}

/** The wait before the next attempt after `failures` failed ones: the retry interval, doubled each time, capped. */
export function retryDelay(retryMs: number, failures: number): number {
  const base = Math.max(MIN_NOTIFICATION_RETRY_MS, retryMs);
  return Math.min(NOTIFICATION_MAX_BACKOFF_MS, base * 2 ** Math.min(failures, 30));
}

/**
 * One attempt at a queued notification: delivered or refused for good, it goes; otherwise it is tried again later.
 * Never throws: when the database fails here, the row keeps its lease and is tried again once the lease is over.
 */
async function attempt(app: App, notification: NewOutboxNotification, failures: number): Promise<void> {
  // In a scope of its own: a request that queued many notifications (a deleted folder with many federated shares)
  // would otherwise run out of its budget of calls, and a call refused for that counts as a refusal by the peer,
  // which drops the notification for good. The deadline bounds a peer that answers byte by byte.
  const deadline = Math.min(NOTIFICATION_ATTEMPT_MAX_MS, NOTIFICATION_ATTEMPT_SILENCES * app.config.remoteTimeoutMs);
  const outcome = await outsideRequestScope(
    () => deliverNotification(app, notification),
    AbortSignal.timeout(deadline),
  );
  const { type, remote } = notification;
  try {
    if (outcome === 'failed') {
      const next = Date.now() + retryDelay(app.config.notificationRetryMs, failures);
      await app.store.rescheduleNotification(notification.id, next);
      return;
    }
    if (outcome === 'refused')
      app.log.warn({ event: 'ocm_notification_refused', type, remote }, 'peer refused the notification; dropped');
    await app.store.deleteNotification(notification.id);
  } catch (error) {
    app.log.warn({ event: 'ocm_outbox_unavailable', type, err: error }, 'outbox not updated; retried after the lease');
  }
}

/** The first attempt, right after the notification was queued. */
export async function deliverQueued(app: App, notification: NewOutboxNotification): Promise<void> {
  await attempt(app, notification, 0);
}

/**
 * One round of the outbox: gives up what is too old or failed too often (logged), then sends what is due. Several
 * nodes may run rounds at the same time; each claims different notifications.
 */
export async function deliverDueNotifications(app: App): Promise<void> {
  const now = Date.now();
  for (const dropped of await app.store.dropStaleNotifications(
    MAX_NOTIFICATION_ATTEMPTS,
    now - NOTIFICATION_MAX_AGE_MS,
  )) {
    app.log.warn(
      { event: 'ocm_notification_given_up', type: dropped.type, remote: dropped.remote, attempts: dropped.attempts },
      'notification given up',
    );
  }
  const due = await app.store.claimDueNotifications(now, now + NOTIFICATION_LEASE_MS, ROUND_SIZE);
  await Promise.all(due.map((notification) => attempt(app, notification, notification.attempts)));
}

/**
 * Runs a round every --notification-retry until the returned function stops it (the server closes). A round still
 * running (slow peers) makes the next tick skip rather than pile rounds up. Started by app.ts, not by App: the rounds
 * need App, and App importing them would make the two a cycle.
 */
export function startNotificationRounds(app: App): () => void {
  let running = false;
  const round = async (): Promise<void> => {
    if (running) return;
    running = true;
    try {
      await deliverDueNotifications(app);
    } catch (error) {
      app.log.warn({ err: error }, 'sending queued notifications failed; next round later');
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void round(), Math.max(MIN_NOTIFICATION_RETRY_MS, app.config.notificationRetryMs));
  timer.unref();
  return () => clearInterval(timer);
}
