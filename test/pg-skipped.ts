// vitest globalSetup: says once, up front, when the PostgreSQL suites will be skipped.
export default function setup(): void {
  if (!process.env.KUDOS_TEST_DATABASE_URL) {
    console.log(
      'PostgreSQL suites skipped: set KUDOS_TEST_DATABASE_URL=postgres://user:password@127.0.0.1:5432/db (a throwaway database) to run them, or run .ci/run.',
    );
  }
}
