export const JOB_TRIGGER = Symbol.for('broker.api.JobTrigger');
