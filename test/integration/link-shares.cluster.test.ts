import { linkSharesSuite } from './suites/link-shares';

// The public-link suite against two nodes on PostgreSQL behind nginx (issue 11).
linkSharesSuite('cluster');
