export const JOB_REQUESTS = Symbol.for('broker.api.JobRequests');
