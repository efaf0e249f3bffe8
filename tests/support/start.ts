/** The instant every test's clock starts at: a fixed date, never the wall clock's. */
export const TEST_START_MS = Date.UTC(2026, 10, 26, 9);
