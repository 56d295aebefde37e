import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';

/** The DocumentClient's marshalling options (see createDocumentClient). */
const MARSHALL_OPTIONS = { removeUndefinedValues: true, convertClassInstanceToMap: false } as const;

/**
 * Plain values → attribute values exactly as the DocumentClient writes them, for the low-level
 * commands of the allocation hot path (sent on the client with cached middleware).
 */
export function toAttributeMap(values: Record<string, unknown>): Record<string, AttributeValue> {
  return marshall(values, MARSHALL_OPTIONS);
}

/** Attribute values → plain values as the DocumentClient reads them; undefined stays undefined. */
export function fromAttributeMap(
  attributes: Record<string, AttributeValue> | undefined,
): Record<string, unknown> | undefined {
  return attributes === undefined ? undefined : unmarshall(attributes);
}
