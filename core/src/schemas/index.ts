export * from './common.ts';
export * from './offers.ts';
export * from './needs.ts';
export * from './capacity.ts';
export * from './auth.ts';
export * from './allocations.ts';
export * from './users.ts';
