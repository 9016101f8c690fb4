// Polling until a test's condition holds, for tests over real transports where nothing signals the
// moment. No timing is asserted: the deadline only turns a hung test into an error that names what
// it was waiting for (under the test runner's own timeout).
export async function until(
  what: string,
  check: () => boolean | Promise<boolean>,
  ms = 20_000,
): Promise<void> {
  const end = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}
