export * from './problems.ts';
export * from './iso639.ts';
export * from './schemas/index.ts';
export * from './allocation/index.ts';
export * from './registries/index.ts';
