import {
  isJavaAvailable,
  type RunningEngine,
  startDynalite,
  startDynamoDbLocal,
} from '../src/testing';

/**
 * Declares `suite` once per real engine: dynalite, and DynamoDB Local when `java` is on PATH
 * (skipped with a notice otherwise). `endpoint()` is valid inside tests and hooks.
 */
export function onEachDynamoEngine(suite: (engine: string, endpoint: () => string) => void): void {
  const started = (engine: RunningEngine | undefined, name: string) => () => {
    if (!engine) throw new Error(`${name} is not running`);
    return engine.endpoint;
  };
  let dynalite: RunningEngine | undefined;
  describe('dynalite engine', () => {
    beforeAll(async () => {
      dynalite = await startDynalite();
    });
    afterAll(() => dynalite?.stop());
    suite('dynalite', () => started(dynalite, 'dynalite')());
  });
  const java = isJavaAvailable();
  if (!java) console.warn('NOTICE: `java` is not on PATH: DynamoDB Local tests are SKIPPED.');
  (java ? describe : describe.skip)('DynamoDB Local engine', () => {
    let local: RunningEngine | undefined;
    beforeAll(async () => {
      local = (await startDynamoDbLocal()) ?? undefined;
    }, 60_000);
    afterAll(() => local?.stop());
    suite('DynamoDB Local', () => started(local, 'DynamoDB Local')());
  });
}
