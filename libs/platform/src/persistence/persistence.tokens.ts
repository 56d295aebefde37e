/** DI tokens for persistence pieces (symbols, like the domain's port tokens). */
export const LEASE_POLICY = Symbol.for('broker.LeasePolicy');
export const PERSISTENCE_CONFIG = Symbol.for('broker.PersistenceConfig');
