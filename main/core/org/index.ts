// AWS Organization discovery: the OU tree and every account, as one JSON-safe snapshot.
export {
  discoverOrganization,
  sortAccounts,
  sortOus,
  DEFAULT_DISCOVERY_CONCURRENCY,
} from './discover-organization.js';
export { ORGANIZATIONS_CLIENT_RETRY } from './retry-config.js';
export { ORG_ACCESS_FIX } from './org-errors.js';
export { ORGANIZATIONS_PAGE_SIZE } from './paginate.js';
export type {
  DiscoveryOptions,
  DiscoveryPhase,
  DiscoveryProgress,
  FeatureSet,
  OrgAccount,
  OrgAccountState,
  OrgAccountStatus,
  OrganizationSnapshot,
  OrgDiscoveryClients,
  OrgJoinedMethod,
  OrgRoot,
  OrgUnit,
} from './types.js';
