import {
  ALL_INDEXES,
  KEY_ATTRIBUTE_DEFINITIONS,
  KEY_ATTRIBUTES,
  TTL_ATTRIBUTE,
  type Projection,
} from '@broker/dynamo-repo/schema';
import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

/**
 * Item-level actions the apps need: single-item conditional writes, gets and index queries, and
 * BatchWriteItem for the event log's buffered audit items only (sandbox state changes stay single
 * conditional writes). No Scan (no request path scans), no transactions, no table management.
 * DescribeTable is read-only metadata used by the readiness probe.
 */
export const APP_TABLE_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:PutItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:ConditionCheckItem',
  'dynamodb:DescribeTable',
] as const;

function projectionType(projection: Projection): dynamodb.ProjectionType {
  switch (projection) {
    case 'ALL':
      return dynamodb.ProjectionType.ALL;
    case 'KEYS_ONLY':
      return dynamodb.ProjectionType.KEYS_ONLY;
  }
}

/** Key attribute types come from the schema's attribute definitions too. */
function attribute(name: string): dynamodb.Attribute {
  const definition = KEY_ATTRIBUTE_DEFINITIONS.find((a) => a.name === name);
  if (!definition) throw new Error(`schema has no attribute definition for key "${name}"`);
  const type =
    definition.type === 'N' ? dynamodb.AttributeType.NUMBER : dynamodb.AttributeType.STRING;
  return { name, type };
}

export interface BrokerTableProps {
  readonly tableName: string;
}

/** The single broker table, built from the repository's schema module (one source of truth). */
export class BrokerTable extends Construct {
  readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string, props: BrokerTableProps) {
    super(scope, id);
    this.table = new dynamodb.Table(this, 'Table', {
      tableName: props.tableName,
      partitionKey: attribute(KEY_ATTRIBUTES.partition),
      sortKey: attribute(KEY_ATTRIBUTES.sort),
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: TTL_ATTRIBUTE,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const index of ALL_INDEXES) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: attribute(index.partitionKey),
        sortKey: attribute(index.sortKey),
        projectionType: projectionType(index.projection),
      });
    }
  }

  /** Grants exactly {@link APP_TABLE_ACTIONS} on the table and its indexes. */
  grantAppAccess(grantee: iam.IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: [...APP_TABLE_ACTIONS],
        resources: [this.table.tableArn, `${this.table.tableArn}/index/*`],
      }),
    );
  }
}
