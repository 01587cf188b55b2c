import { federationSuite } from './suites/federation';

// The federation suite against two deployments that are each two nodes on PostgreSQL behind nginx (issue 11).
federationSuite('cluster');
