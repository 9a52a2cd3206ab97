// Guest fixtures are built by `npm run fixtures` into fixtures/out/. A missing fixture fails the
// test under CI=true; locally the test skips and says which command fetches it.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

export const FIXTURES_OUT = join(import.meta.dirname, "..", "..", "fixtures", "out");

export function fixturePath(name: string): string {
  return join(FIXTURES_OUT, name);
}

/** Returns the fixture's bytes, or skips (locally) / throws (CI) when it is missing. */
export function requireFixture(ctx: { skip: (note?: string) => void }, name: string, fixtureSet: string): Uint8Array {
  const p = fixturePath(name);
  if (!existsSync(p)) {
    const msg = `fixture fixtures/out/${name} is missing: run 'npm run fixtures -- ${fixtureSet}'`;
    if (process.env.CI === "true") throw new Error(msg);
    console.warn(`skipped: ${msg}`);
    ctx.skip(msg);
  }
  return new Uint8Array(readFileSync(p));
}
