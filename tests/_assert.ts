// The subset of @std/assert that Sluice's tests use, over node:assert/strict.
// JSR is out of reach here; point "@std/assert" at jsr:@std/assert to swap this out.
import assert from "node:assert/strict";

export function assertEquals<T>(actual: T, expected: T, msg?: string): void {
  assert.deepStrictEqual(actual, expected, msg);
}

export function assertNotEquals<T>(actual: T, expected: T, msg?: string): void {
  assert.notDeepStrictEqual(actual, expected, msg);
}

export function assertStrictEquals<T>(
  actual: unknown,
  expected: T,
  msg?: string,
): asserts actual is T {
  assert.strictEqual(actual, expected, msg);
}

export function assert_(condition: unknown, msg?: string): asserts condition {
  assert.ok(condition, msg);
}
export { assert_ as assert };

export function assertGreaterOrEqual(actual: number, expected: number, msg?: string): void {
  assert.ok(actual >= expected, msg ?? `expected ${actual} >= ${expected}`);
}

export function assertLessOrEqual(actual: number, expected: number, msg?: string): void {
  assert.ok(actual <= expected, msg ?? `expected ${actual} <= ${expected}`);
}

export function assertAlmostEquals(
  actual: number,
  expected: number,
  tolerance = 1e-7,
  msg?: string,
): void {
  if (!(Math.abs(actual - expected) <= tolerance)) {
    throw new assert.AssertionError({
      message: msg ?? `expected ${actual} to be within ${tolerance} of ${expected}`,
      actual,
      expected,
    });
  }
}

export function assertMatch(actual: string, expected: RegExp, msg?: string): void {
  assert.match(actual, expected, msg);
}

export function assertStringIncludes(actual: string, expected: string, msg?: string): void {
  assert.ok(
    actual.includes(expected),
    msg ?? `expected ${JSON.stringify(actual)} to include ${JSON.stringify(expected)}`,
  );
}

export function assertThrows<E extends Error = Error>(
  fn: () => unknown,
  // deno-lint-ignore no-explicit-any
  ErrorClass?: new (...args: any[]) => E,
  msgIncludes?: string,
): E {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  return checkError(caught, ErrorClass, msgIncludes) as E;
}

export async function assertRejects(
  fn: () => Promise<unknown>,
  // deno-lint-ignore no-explicit-any
  ErrorClass?: new (...args: any[]) => Error,
  msgIncludes?: string,
): Promise<Error> {
  let caught: unknown;
  try {
    await fn();
  } catch (err) {
    caught = err;
  }
  return checkError(caught, ErrorClass, msgIncludes);
}

function checkError(
  caught: unknown,
  // deno-lint-ignore no-explicit-any
  ErrorClass?: new (...args: any[]) => Error,
  msgIncludes?: string,
): Error {
  assert.ok(caught !== undefined, "expected the function to throw");
  assert.ok(caught instanceof Error, `expected an Error, got ${caught}`);
  if (ErrorClass) {
    assert.ok(
      caught instanceof ErrorClass,
      `expected ${ErrorClass.name}, got ${caught.name}: ${caught.message}`,
    );
  }
  if (msgIncludes !== undefined) assertStringIncludes(caught.message, msgIncludes);
  return caught;
}

export function fail(msg?: string): never {
  assert.fail(msg);
}
