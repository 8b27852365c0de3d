/**
 * Builds the link message for one connection: a Billing connection links the management account as the payer
 * (master_payer role, billing bucket), a Resource connection links a member as a resource owner (its role is
 * also the `legacy` role, as the platform's member notifier sends it). Create and update are
 * `account-link-provisioned`; removal is `account-link-deprovisioned` with the same body.
 */
import type { PlatformRegistrationSettings } from './registration-settings.js';
import { linkMessageSchema, type LinkMessage, type LinkMessageType } from './link-contract.js';

export interface LinkedConnection {
  kind: 'billing' | 'resource';
  accountId: string;
  /** The connection's name on the platform. */
  connectionName: string;
  region: string;
  roleArn: string;
  /** Billing only: the bucket (and prefix) the Cost and Usage Report is delivered to. */
  billingBucket?: string;
  billingBucketPath?: string;
}

export function buildLinkMessage(
  settings: PlatformRegistrationSettings,
  connection: LinkedConnection,
  externalId: string,
  type: LinkMessageType = 'account-link-provisioned',
): LinkMessage {
  const billing = connection.kind === 'billing';
  const message = {
    version: '1',
    message_source: settings.messageSource,
    message_type: type,
    data: {
      metadata: {
        cloud_region: connection.region,
        external_id: externalId,
        cloud_account_id: connection.accountId,
        cz_account_name: connection.connectionName,
        reactor_id: settings.reactorId,
        reactor_callback_url: settings.endpoint,
        ...(billing ? { billing_report_format: 'aws' } : {}),
      },
      links: {
        master_payer: { role_arn: billing ? connection.roleArn : null },
        resource_owner: { role_arn: billing ? null : connection.roleArn },
        legacy: { role_arn: billing ? null : connection.roleArn },
        audit: { role_arn: null },
        cloudtrail_owner: { sqs_queue_arn: null, sqs_queue_policy_name: null },
      },
      discovery: {
        is_master_payer_account: billing,
        // The Billing connection is always the Organization's management account (the plan puts it there).
        is_organization_master_account: billing,
        is_resource_owner_account: !billing,
        master_payer_billing_bucket_name: billing ? (connection.billingBucket ?? null) : null,
        master_payer_billing_bucket_path: billing ? (connection.billingBucketPath ?? null) : null,
        is_audit_account: false,
        is_cloudtrail_owner_account: false,
        is_organization_trail: billing ? null : false,
        remote_cloudtrail_bucket: false,
        audit_cloudtrail_bucket_name: null,
        audit_cloudtrail_bucket_prefix: null,
        cloudtrail_sns_topic_arn: null,
        cloudtrail_trail_arn: null,
        visible_cloudtrail_arns: null,
      },
    },
  };
  // Parsed so a message that would be refused is a bug found here, not a 400 from the platform.
  return linkMessageSchema.parse(message);
}
