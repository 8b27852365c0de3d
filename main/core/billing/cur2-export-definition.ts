/**
 * The CUR 2.0 Data Export orgconnect creates when the management account has no usable report: what the platform
 * needs (hourly, resource IDs, split cost allocation data, Parquet) — the same settings the `cur` check judges
 * usable (billing/cur-judgement.ts), so the next plan finds this export usable.
 */
import type { CreateExportCommandInput } from '@aws-sdk/client-bcm-data-exports';

export const CUR2_TABLE = 'COST_AND_USAGE_REPORT';
export const DEFAULT_EXPORT_NAME = 'orgconnect-cur2';
export const EXPORT_PREFIX = 'cur2';
/** Data Exports (like legacy CUR) is a us-east-1 service; the bucket goes there too. */
export const BILLING_REGION = 'us-east-1';

export const CUR2_TABLE_CONFIGURATION = {
  TIME_GRANULARITY: 'HOURLY',
  INCLUDE_RESOURCES: 'TRUE',
  INCLUDE_SPLIT_COST_ALLOCATION_DATA: 'TRUE',
  INCLUDE_MANUAL_DISCOUNT_COMPATIBILITY: 'FALSE',
} as const;

/** Data Exports has no `SELECT *`: the CUR 2.0 columns a cost platform reads, with resource IDs and split costs. */
const CUR2_COLUMNS = [
  'bill_bill_type',
  'bill_billing_entity',
  'bill_billing_period_end_date',
  'bill_billing_period_start_date',
  'bill_invoice_id',
  'bill_invoicing_entity',
  'bill_payer_account_id',
  'bill_payer_account_name',
  'cost_category',
  'discount',
  'discount_bundled_discount',
  'discount_total_discount',
  'identity_line_item_id',
  'identity_time_interval',
  'line_item_availability_zone',
  'line_item_blended_cost',
  'line_item_blended_rate',
  'line_item_currency_code',
  'line_item_legal_entity',
  'line_item_line_item_description',
  'line_item_line_item_type',
  'line_item_net_unblended_cost',
  'line_item_net_unblended_rate',
  'line_item_normalization_factor',
  'line_item_normalized_usage_amount',
  'line_item_operation',
  'line_item_product_code',
  'line_item_resource_id',
  'line_item_tax_type',
  'line_item_unblended_cost',
  'line_item_unblended_rate',
  'line_item_usage_account_id',
  'line_item_usage_account_name',
  'line_item_usage_amount',
  'line_item_usage_end_date',
  'line_item_usage_start_date',
  'line_item_usage_type',
  'pricing_currency',
  'pricing_public_on_demand_cost',
  'pricing_public_on_demand_rate',
  'pricing_term',
  'pricing_unit',
  'product',
  'product_region_code',
  'product_servicecode',
  'reservation_amortized_upfront_cost_for_usage',
  'reservation_effective_cost',
  'reservation_reservation_a_r_n',
  'reservation_unused_amortized_upfront_fee_for_billing_period',
  'reservation_unused_recurring_fee',
  'resource_tags',
  'savings_plan_savings_plan_a_r_n',
  'savings_plan_savings_plan_effective_cost',
  'savings_plan_total_commitment_to_date',
  'savings_plan_used_commitment',
  'split_line_item_actual_usage',
  'split_line_item_net_split_cost',
  'split_line_item_net_unused_cost',
  'split_line_item_parent_resource_id',
  'split_line_item_public_on_demand_split_cost',
  'split_line_item_public_on_demand_unused_cost',
  'split_line_item_reserved_usage',
  'split_line_item_split_cost',
  'split_line_item_split_usage',
  'split_line_item_split_usage_ratio',
  'split_line_item_unused_cost',
];

export function cur2QueryStatement(): string {
  return `SELECT ${CUR2_COLUMNS.join(', ')} FROM ${CUR2_TABLE}`;
}

export function cur2ExportRequest(input: { name: string; bucket: string }): CreateExportCommandInput {
  return {
    Export: {
      Name: input.name,
      Description: 'CUR 2.0 for the cost platform (created by orgconnect)',
      DataQuery: {
        QueryStatement: cur2QueryStatement(),
        TableConfigurations: { [CUR2_TABLE]: { ...CUR2_TABLE_CONFIGURATION } },
      },
      DestinationConfigurations: {
        S3Destination: {
          S3Bucket: input.bucket,
          S3Prefix: EXPORT_PREFIX,
          S3Region: BILLING_REGION,
          S3OutputConfigurations: {
            OutputType: 'CUSTOM',
            Format: 'PARQUET',
            Compression: 'PARQUET',
            Overwrite: 'OVERWRITE_REPORT',
          },
        },
      },
      RefreshCadence: { Frequency: 'SYNCHRONOUS' },
    },
  };
}
