/**
 * The platform's account-link message, as a zod schema: what CloudZero's provisioning notifier POSTs to its link
 * endpoint (Cloudzero/provision-account 1.0.102, services/notification). The schema is the contract and only that:
 * the builder (`link-message.ts`) parses what it builds with it, and the sandbox platform validates every request
 * with it on its own, so a builder bug shows up as a 400 there instead of being agreed with.
 *
 * Fields the platform defines but orgconnect has nothing for (audit, CloudTrail) are required and null/false, as
 * the platform's own notifier sends them: "absent" and "null" are different things to a strict receiver.
 */
import { z } from 'zod';

export const LINK_MESSAGE_TYPES = ['account-link-provisioned', 'account-link-deprovisioned'] as const;
export type LinkMessageType = (typeof LINK_MESSAGE_TYPES)[number];

/** The platform's own ARN pattern (partition, service, region or "global", account, resource). */
const ARN = /^arn:(?:aws|aws-cn|aws-us-gov):([a-z0-9-]+):((?:[a-z0-9-]*)|global):(\d{12}|aws)*:(.+$)$/;
const arn = z.string().regex(ARN, 'not an ARN');
const nullableArn = arn.nullable();
const nullableString = z.string().nullable();
const linkRole = z.strictObject({ role_arn: nullableArn });

export const linkMetadataSchema = z.strictObject({
  cloud_region: z.string().min(1),
  external_id: z.string().min(1),
  cloud_account_id: z.string().regex(/^\d{12}$/, 'an AWS account id has 12 digits'),
  /** The connection's name as the platform shows it. */
  cz_account_name: z.string().min(1),
  reactor_id: z.string().min(1),
  reactor_callback_url: z.url(),
  /** Sent for a Billing (payer) connection only, as the platform's payer notifier does; its member one omits it. */
  billing_report_format: nullableString.optional(),
});

export const linkLinksSchema = z.strictObject({
  master_payer: linkRole,
  resource_owner: linkRole,
  legacy: linkRole,
  audit: linkRole,
  cloudtrail_owner: z.strictObject({ sqs_queue_arn: nullableArn, sqs_queue_policy_name: nullableString }),
});

export const linkDiscoverySchema = z.strictObject({
  is_master_payer_account: z.boolean(),
  is_organization_master_account: z.boolean(),
  is_resource_owner_account: z.boolean(),
  master_payer_billing_bucket_name: nullableString,
  master_payer_billing_bucket_path: nullableString,
  is_audit_account: z.boolean(),
  is_cloudtrail_owner_account: z.boolean(),
  is_organization_trail: z.boolean().nullable(),
  remote_cloudtrail_bucket: z.boolean(),
  audit_cloudtrail_bucket_name: nullableString,
  audit_cloudtrail_bucket_prefix: nullableString,
  cloudtrail_sns_topic_arn: nullableArn,
  cloudtrail_trail_arn: nullableArn,
  visible_cloudtrail_arns: z.array(arn).nullable(),
});

/** ARN → its account id (the fourth field), for the "a role belongs to the account it links" rule. */
function arnAccount(value: string): string | undefined {
  return value.split(':')[4];
}

export const linkMessageSchema = z
  .strictObject({
    version: z.literal('1'),
    message_source: z.string().min(1),
    message_type: z.enum(LINK_MESSAGE_TYPES),
    data: z.strictObject({
      metadata: linkMetadataSchema,
      links: linkLinksSchema,
      discovery: linkDiscoverySchema,
    }),
  })
  .superRefine((message, context) => {
    const { links, metadata, discovery } = message.data;
    const roles = {
      master_payer: links.master_payer,
      resource_owner: links.resource_owner,
      legacy: links.legacy,
    };
    for (const [name, link] of Object.entries(roles)) {
      if (link.role_arn !== null && arnAccount(link.role_arn) !== metadata.cloud_account_id) {
        context.addIssue({
          code: 'custom',
          path: ['data', 'links', name, 'role_arn'],
          message: `the role is not in account ${metadata.cloud_account_id}`,
        });
      }
    }
    if (message.message_type !== 'account-link-provisioned') return;
    if (links.master_payer.role_arn === null && links.resource_owner.role_arn === null) {
      context.addIssue({
        code: 'custom',
        path: ['data', 'links'],
        message: 'a provisioned link needs a master_payer or resource_owner role',
      });
    }
    if (discovery.is_master_payer_account !== (links.master_payer.role_arn !== null)) {
      context.addIssue({
        code: 'custom',
        path: ['data', 'discovery', 'is_master_payer_account'],
        message: 'is_master_payer_account must be true exactly when a master_payer role is linked',
      });
    }
    if (discovery.is_resource_owner_account !== (links.resource_owner.role_arn !== null)) {
      context.addIssue({
        code: 'custom',
        path: ['data', 'discovery', 'is_resource_owner_account'],
        message: 'is_resource_owner_account must be true exactly when a resource_owner role is linked',
      });
    }
  });
export type LinkMessage = z.infer<typeof linkMessageSchema>;

/** One line naming the first problems of a message that does not fit the contract (paths, never values). */
export function describeLinkMessageIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.join('.') || '(message)'}: ${issue.message}`)
    .join('; ');
}
