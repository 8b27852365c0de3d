/**
 * core/cloudformation — one layer below onboarding and health: call-with-retry, poll-until, paging, stack and
 * StackSet status, parameters and tags, one deploy error type. It imports nothing from onboarding or health.
 */
export * from './call-with-retry.js';
export * from './deploy-error.js';
export * from './paging.js';
export * from './parameters.js';
export * from './poll-until.js';
export * from './stack-status.js';
export * from './stacks.js';
export * from './stackset-status.js';
export * from './stacksets.js';
export * from './stackset-operation.js';
