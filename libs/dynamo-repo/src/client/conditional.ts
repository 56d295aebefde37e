/** True for DynamoDB's answer to a conditional write whose condition did not hold. */
export function isConditionalFailure(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { name?: unknown }).name === 'ConditionalCheckFailedException'
  );
}

/** `work`'s value, or `onFailure` when its conditional write was refused; other errors throw. */
export async function unlessConditionFails<T, F>(work: Promise<T>, onFailure: F): Promise<T | F> {
  try {
    return await work;
  } catch (error) {
    if (isConditionalFailure(error)) return onFailure;
    throw error;
  }
}

/**
 * A refused conditional write the SDK had sent more than once: its first attempt may have been
 * applied with the answer lost (reset socket, timeout), so the retry's condition saw our own write.
 */
export function retriedBeforeRefusal(error: unknown): boolean {
  const attempts = (error as { $metadata?: { attempts?: unknown } }).$metadata?.attempts;
  return isConditionalFailure(error) && typeof attempts === 'number' && attempts > 1;
}

/**
 * What a conditional write's refusal means: `null` when the condition really did not hold, or the
 * item as our own earlier attempt left it (read back, strongly consistent) when the SDK retried
 * and `isOurs` recognises our marker on it (a write id, claim token or lease token). Other errors
 * are rethrown. Reference: issue #12 §3, "a write that was applied but whose answer was lost".
 */
export async function ownEarlierWrite<T>(
  error: unknown,
  readBack: () => Promise<T | null>,
  isOurs: (item: T) => boolean,
): Promise<T | null> {
  if (!isConditionalFailure(error)) throw error;
  if (!retriedBeforeRefusal(error)) return null;
  const item = await readBack();
  return item !== null && isOurs(item) ? item : null;
}
