import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Option, type Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import { printJson } from '../output.js';
import { assertValidExternalId } from '../../core/onboarding/external-id.js';
import {
  EXPORT_FORMATS,
  exportRoleTemplates,
  type ExportFormat,
} from '../../core/onboarding/template-export.js';
import { platformChoiceFor, resolvePlatformProfile } from '../../core/platform/platforms.js';
import type { RoleKind } from '../../core/platform/platform-profile.js';

interface ExportFlags {
  kind: RoleKind;
  format: ExportFormat;
  out: string;
  platform: string;
  platformAccount?: string[];
  managedPolicy?: string[];
  roleName?: string;
  rolePath?: string;
  externalId?: string;
  curBucket?: string;
  json?: boolean;
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** `orgconnect templates export`: the platform role as code, for teams that provision IAM themselves. */
export function registerTemplatesCommand(program: Command, context: CliContext): void {
  const templates = program
    .command('templates')
    .description('The platform roles as code: CloudFormation, Terraform or IAM JSON.');
  templates
    .command('export')
    .description('Write the role for custom provisioning (generated like the deployed templates).')
    .addOption(
      new Option('--kind <kind>', 'which role').choices(['billing', 'resource']).makeOptionMandatory(),
    )
    .addOption(new Option('--format <format>', 'what to write').choices(EXPORT_FORMATS).makeOptionMandatory())
    .requiredOption('--out <dir>', 'directory to write into (created if absent)')
    .addOption(
      new Option('--platform <id>', 'the platform profile')
        .choices(['cloudzero', 'custom'])
        .default('cloudzero'),
    )
    .option('--platform-account <id>', 'with --platform custom: an account the role trusts (repeat)', collect)
    .option('--managed-policy <arn>', 'with --platform custom: a managed policy (repeat)', collect)
    .option('--role-name <name>', "the role's name (default: the profile's for the kind)")
    .option('--role-path <path>', "the role's IAM path (default: the profile's)")
    .option(
      '--external-id <id>',
      'filled into the trust policy (default: a placeholder / a required variable)',
    )
    .option('--cur-bucket <bucket>', 'billing: the Cost and Usage Report bucket the role may read')
    .option('--json', 'print {"files":[…]} instead of a sentence')
    .action(async (flags: ExportFlags) => {
      if (flags.externalId !== undefined) assertValidExternalId(flags.externalId);
      const profile = resolvePlatformProfile(
        platformChoiceFor({
          platform: flags.platform,
          platformAccountIds: flags.platformAccount,
          managedPolicyArns: flags.managedPolicy,
          rolePath: flags.rolePath,
        }),
      );
      const files = exportRoleTemplates(profile, {
        kind: flags.kind,
        format: flags.format,
        ...(flags.roleName === undefined ? {} : { roleName: flags.roleName }),
        ...(flags.rolePath === undefined ? {} : { rolePath: flags.rolePath }),
        ...(flags.externalId === undefined ? {} : { externalId: flags.externalId }),
        ...(flags.curBucket === undefined ? {} : { costAndUsageReportBucket: flags.curBucket }),
      });
      await mkdir(flags.out, { recursive: true });
      const written: string[] = [];
      for (const file of files) {
        const path = join(flags.out, file.name);
        // An External ID in a file is kept private to its owner, as orgconnect keeps its own run secrets.
        await writeFile(path, file.content, {
          mode: file.name.endsWith('.sh') ? 0o700 : flags.externalId === undefined ? 0o644 : 0o600,
        });
        written.push(path);
      }
      if (flags.json) printJson(context.io, { files: written });
      else context.io.stdout(`Wrote ${written.length} files:\n${written.map((p) => `  ${p}\n`).join('')}`);
      context.exitCode = 0;
    });
}
