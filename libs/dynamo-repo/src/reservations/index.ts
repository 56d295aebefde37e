export * from './dynamo-reservation-lifecycle';
export * from './dynamo-reservations';
export * from './earmarked-draw';
export * from './reservation-keys';
