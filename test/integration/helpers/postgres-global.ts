import { startPostgres, type PostgresCluster } from './postgres';

// vitest globalSetup of the integration project. With ATC_TEST_POSTGRES=1 every node that startNode() starts runs on
// PostgreSQL (a fresh database each, in one cluster for the whole run), so the whole integration suite can be run
// against the PostgreSQL store: `ATC_TEST_POSTGRES=1 npx vitest run --project integration`. Without it: nothing.

let cluster: PostgresCluster | undefined;

export async function setup(): Promise<void> {
  if (process.env.ATC_TEST_POSTGRES !== '1') return;
  cluster = await startPostgres();
  process.env.ATC_TEST_POSTGRES_ADMIN = cluster.adminUrl;
}

export async function teardown(): Promise<void> {
  await cluster?.destroy();
}
