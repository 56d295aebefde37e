export * from './find-unguarded-routes';
