import { onEachDynamoEngine } from './engines';
import { dynamoStoreFactory, memoryStoreFactory } from './store-harness';
import { describeTrackQuotaConcurrency, describeTrackQuotaContract } from './track-quota.contract';

describeTrackQuotaContract('in-memory', memoryStoreFactory);
describeTrackQuotaConcurrency('in-memory', memoryStoreFactory);

onEachDynamoEngine((engine, endpoint) => {
  describeTrackQuotaContract(engine, dynamoStoreFactory(endpoint));
  describeTrackQuotaConcurrency(engine, dynamoStoreFactory(endpoint));
});
