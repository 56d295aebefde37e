// Adds up the JSON result files each Jest project writes (--json --outputFile).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export function summarize(dir) {
  let passed = 0;
  let failed = 0;
  if (!existsSync(dir)) return { passed, failed };
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    const result = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    passed += result.numPassedTests;
    // A suite that fails to load has no failed tests but must still count as a failure.
    failed += result.numFailedTests + (result.numRuntimeErrorTestSuites ?? 0);
  }
  return { passed, failed };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { passed, failed } = summarize(process.argv[2] ?? 'tmp/jest-results');
  console.log(`${passed} passed, ${failed} failed`);
}
