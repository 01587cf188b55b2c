import { parseCloudId } from '../federation/cloud-id';
import { hostIdentity } from '../federation/signature';

// Which pinned peers (store/peer_keys) we have a relationship with: a share one of our users sent to a cloud id at that
// server, or a share from it one of our users accepted (or mounted from a public link). Their pins are never pushed
// out by pins of strangers (savePeerKey). A pending received share does not count: anyone can send one.
//
// Share rows hold what their users typed or what the peer sent (cloud ids, URLs in any spelling), pins hold
// hostIdentity(): so the identities are computed here, with the very functions the incoming checks use
// (federation/incoming-signature.ts), rather than compared in SQL, which cannot repeat that normalisation (case,
// default ports, trailing dots, international names).

/** A row of RELATED_PEER_ADDRESSES. */
export interface RelatedPeerAddress {
  /** A cloud id one of our federated shares (share type 6) went to, or the remote of an accepted external share. */
  address: string;
  is_cloud_id: number;
}

/** SQL (both engines) of the addresses of related peers, each once. */
export const RELATED_PEER_ADDRESSES = `SELECT share_with AS address, 1 AS is_cloud_id FROM shares
     WHERE share_type = 6 AND share_with IS NOT NULL
   UNION SELECT remote AS address, 0 AS is_cloud_id FROM remote_shares WHERE accepted = 1`;

/**
 * The identities of the servers the rows name, as incoming-signature.ts's sharePeer reads them: the remote part of a
 * cloud id, a remote_shares.remote as it is.
 */
export function relatedPeerIdentities(rows: readonly RelatedPeerAddress[]): string[] {
  const identities = new Set<string>();
  for (const { address, is_cloud_id } of rows) {
    const remote = is_cloud_id ? parseCloudId(address)?.remote : address;
    const identity = remote === undefined ? undefined : hostIdentity(remote);
    if (identity) identities.add(identity);
  }
  return [...identities];
}
