import { federationSuite } from './suites/federation';

// Federation between two single nodes (SQLite). The same suite runs against two-node clusters in
// federation.cluster.test.ts.
federationSuite('single');
