export * from './policy.ts';
export * from './lifecycle.ts';
export * from './digest.ts';
export * from './audience.ts';
