import { linkSharesSuite } from './suites/link-shares';

// Public links on a single node (SQLite). The same suite runs against a two-node cluster in
// link-shares.cluster.test.ts.
linkSharesSuite('single');
