import {
  ALL_INDEXES,
  DEFAULT_TABLE_NAME,
  KEY_ATTRIBUTE_DEFINITIONS,
  KEY_ATTRIBUTES,
} from './table-schema';

/**
 * A CreateTable request body (the DynamoDB API shape, as plain data) for dev, tests and scripts.
 * On-demand billing; every GSI from the schema.
 */
export function createTableInput(tableName: string = DEFAULT_TABLE_NAME) {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST' as const,
    AttributeDefinitions: KEY_ATTRIBUTE_DEFINITIONS.map((a) => ({
      AttributeName: a.name,
      AttributeType: a.type,
    })),
    KeySchema: [
      { AttributeName: KEY_ATTRIBUTES.partition, KeyType: 'HASH' as const },
      { AttributeName: KEY_ATTRIBUTES.sort, KeyType: 'RANGE' as const },
    ],
    GlobalSecondaryIndexes: ALL_INDEXES.map((index) => ({
      IndexName: index.name,
      KeySchema: [
        { AttributeName: index.partitionKey, KeyType: 'HASH' as const },
        { AttributeName: index.sortKey, KeyType: 'RANGE' as const },
      ],
      Projection: { ProjectionType: index.projection },
    })),
  };
}
