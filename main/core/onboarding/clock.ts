/** The clock moved to main/core/clock.ts (the CloudFormation layer needs it too); this keeps older imports working. */
export * from '../clock.js';
