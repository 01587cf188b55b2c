// OCM notifications on their way to another server (SHARE_ACCEPTED, SHARE_DECLINED, SHARE_UNSHARED) live in the
// database until the peer took them, so a node that dies, or a peer that is down for a while, loses none of them and
// any node of a cluster may send them (issue 11). federation/notification-outbox.ts sends them; both stores keep them.
// Times are milliseconds since the epoch, like the node state (store/node-state.ts).

export interface OutboxNotification {
  /** Chosen by the sender (a random UUID), so it is known before the row is written, even inside another write. */
  id: string;
  /** Base URL of the peer the notification goes to. */
  remote: string;
  type: 'SHARE_ACCEPTED' | 'SHARE_DECLINED' | 'SHARE_UNSHARED';
  providerId: string;
  sharedSecret: string;
  message: string;
  /** Attempts that failed so far. */
  attempts: number;
  /** The earliest time a node may try it (again); pushed forward while a node is trying it. */
  nextAttemptAt: number;
  createdAt: number;
}

export type NewOutboxNotification = Pick<
  OutboxNotification,
  'id' | 'remote' | 'type' | 'providerId' | 'sharedSecret' | 'message' | 'createdAt' | 'nextAttemptAt'
>;

/** The outbox is bounded: a peer that is down for good cannot fill the database with notifications for it. */
export interface OutboxLimits {
  perRemote: number;
  total: number;
}

/** A notification to queue together with another write (acceptExternalShare), and the bounds of the outbox. */
export interface QueuedNotification {
  notification: NewOutboxNotification;
  limits: OutboxLimits;
}

export interface OutboxStore {
  /** Queues a notification; false (nothing written) when the peer's or the whole outbox is full. */
  enqueueNotification(queued: QueuedNotification): Promise<boolean>;
  /**
   * Takes up to `limit` notifications due at `now` and moves their next attempt to `leaseUntil`, in one atomic step:
   * two nodes claiming at once never get the same one, and one whose sender died is due again after the lease.
   */
  claimDueNotifications(now: number, leaseUntil: number, limit: number): Promise<OutboxNotification[]>;
  /** Delivered (or refused for good by the peer): it goes. */
  deleteNotification(id: string): Promise<void>;
  /** An attempt failed: counted, and tried again at `nextAttemptAt`. */
  rescheduleNotification(id: string, nextAttemptAt: number): Promise<void>;
  /** Deletes and returns the notifications that failed `maxAttempts` times or were created before `createdBefore`. */
  dropStaleNotifications(maxAttempts: number, createdBefore: number): Promise<OutboxNotification[]>;
}
