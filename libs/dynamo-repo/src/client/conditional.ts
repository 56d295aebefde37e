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
