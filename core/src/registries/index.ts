export * from './lang.ts';
export * from './categories.ts';
export * from './weights.ts';
export * from './indicators.ts';
