/** Retry moved to main/core/cloudformation/call-with-retry.ts (one layer for every AWS call); kept for older imports. */
export * from '../cloudformation/call-with-retry.js';
