export * from './check-result.js';
export * from './connection.js';
export type { CheckContext, CheckOptions, HealthAwsClients, HealthCheck } from './check-context.js';
export { cannotCheck, type CannotCheck } from '../aws/cannot-check.js';
export * from '../billing/cur-port.js';
export { ALL_CHECKS } from './checks/index.js';
export { evaluateCur } from './checks/cur.js';
export { bucketPolicyAllowsBillingReports } from '../billing/cur-judgement.js';
export type { CurEvidence } from '../billing/cur-evidence.js';
export { evaluateTrustPolicy } from './checks/role-trust.js';
export { evaluateRolePolicies, expectedRolePolicies } from './checks/role-policies.js';
export { evaluateRoleLastUsed } from './checks/role-last-used.js';
export { evaluateRegions } from './checks/regions-sts.js';
export {
  checkConnection,
  type ConnectionCheckDeps,
  type HealthClientBuilder,
  type HealthClientTarget,
} from './run-checks.js';
export { createHealthHistory, historyFile, DEFAULT_HISTORY_LIMIT, type HealthHistory } from './history.js';
export {
  createHealthMonitor,
  healthSignature,
  type HealthEvent,
  type HealthChangedEvent,
  type HealthMonitor,
  type HealthMonitorOptions,
} from './monitor.js';
