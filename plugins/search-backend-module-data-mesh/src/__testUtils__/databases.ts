import { TestDatabases } from '@backstage/backend-test-utils';

/**
 * PostgreSQL (from BACKSTAGE_TEST_DATABASE_POSTGRES17_CONNECTION_STRING)
 * and SQLite. CI sets QUANTA_REQUIRE_POSTGRES, so that a missing server
 * fails the run rather than leaving the PostgreSQL tests out.
 */
export function testDatabases(): TestDatabases {
  const databases = TestDatabases.create({
    ids: ['POSTGRES_17', 'SQLITE_3'],
    disableDocker: true,
  });
  if (
    process.env.QUANTA_REQUIRE_POSTGRES &&
    !databases.supports('POSTGRES_17')
  ) {
    throw new Error(
      'QUANTA_REQUIRE_POSTGRES is set but BACKSTAGE_TEST_DATABASE_POSTGRES17_CONNECTION_STRING is not',
    );
  }
  return databases;
}
