export * from './problems.ts';
