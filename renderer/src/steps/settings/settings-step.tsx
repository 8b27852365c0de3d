import { useState } from 'react';
import Button from '@cloudscape-design/components/button';
import Container from '@cloudscape-design/components/container';
import FileUpload from '@cloudscape-design/components/file-upload';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import RadioGroup from '@cloudscape-design/components/radio-group';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { update, useWizard } from '../../store/wizard-store.js';
import type { Settings } from '../../store/wizard-state.js';
import type { SettingsErrors } from './settings-validation.js';
import { PlatformSection } from './platform-section.js';

function set<K extends keyof Settings>(key: K, value: Settings[K]): void {
  update((s) => ({ ...s, settings: { ...s.settings, [key]: value } }));
}

/** Step 2: what the platform needs (its account and External ID) and how to deploy. */
export function SettingsStep({ errors }: { errors: SettingsErrors }) {
  const settings = useWizard((s) => s.settings);
  const [showExternalId, setShowExternalId] = useState(false);
  const [trimmedNote, setTrimmedNote] = useState(false);
  const [rolesFile, setRolesFile] = useState<File[]>([]);
  return (
    <SpaceBetween size="l">
      <Container header={<Header variant="h2">Cost platform</Header>}>
        <SpaceBetween size="m">
          <FormField
            label="Platform AWS account"
            description="The account the read-only roles trust."
            errorText={errors.platformAccountId}
          >
            <Input
              ariaLabel="Platform AWS account"
              value={settings.platformAccountId}
              inputMode="numeric"
              onChange={({ detail }) => set('platformAccountId', detail.value.trim())}
            />
          </FormField>
          <FormField
            label="External ID"
            description='Copy it from the platform&apos;s "Connect AWS" page: 2–1224 letters, digits and + = , . @ : / - _.'
            errorText={errors.externalId}
            constraintText={
              trimmedNote && !errors.externalId
                ? 'Spaces at the start or end were removed: they are never part of an External ID.'
                : undefined
            }
            secondaryControl={
              <Button
                onClick={() => setShowExternalId((shown) => !shown)}
                ariaLabel={showExternalId ? 'Hide the ID' : 'Show the ID in clear text'}
                iconName={showExternalId ? 'lock-private' : 'unlocked'}
              >
                {showExternalId ? 'Hide' : 'Show'}
              </Button>
            }
          >
            <Input
              ariaLabel="External ID"
              value={settings.externalId}
              type={showExternalId ? 'text' : 'password'}
              autoComplete={false}
              spellcheck={false}
              onChange={({ detail }) => {
                // Pasted IDs often bring a space or a newline along; the platform's ID never has one at its ends.
                const trimmed = detail.value.trim();
                if (trimmed !== detail.value) setTrimmedNote(true);
                set('externalId', trimmed);
              }}
            />
          </FormField>
        </SpaceBetween>
      </Container>
      <Container header={<Header variant="h2">Deployment</Header>}>
        <SpaceBetween size="m">
          <FormField
            label="Role name"
            description="The read-only role created in every account. Empty: orgconnect-platform-billing in the management account, orgconnect-platform-resource in members."
            errorText={errors.roleName}
          >
            <Input
              ariaLabel="Role name"
              value={settings.roleName}
              onChange={({ detail }) => set('roleName', detail.value.trim())}
            />
          </FormField>
          <FormField label="How to reach the member accounts">
            <RadioGroup
              ariaLabel="Access mode"
              value={settings.access}
              onChange={({ detail }) =>
                set(
                  'access',
                  detail.value === 'stacksets' ||
                    detail.value === 'identity-center' ||
                    detail.value === 'manual'
                    ? detail.value
                    : 'access-role',
                )
              }
              items={[
                {
                  value: 'access-role',
                  label: 'One stack per account, through the access role',
                  description:
                    'Assumes the access role (e.g. OrganizationAccountAccessRole) in each member account.',
                },
                {
                  value: 'identity-center',
                  label: 'One stack per account, through IAM Identity Center',
                  description:
                    "Uses your Identity Center permission set in each member account (the profile's session).",
                },
                {
                  value: 'stacksets',
                  label: 'Service-managed StackSet',
                  description: 'Needs trusted access for CloudFormation StackSets in the Organization.',
                },
                {
                  value: 'manual',
                  label: 'Roles we create ourselves',
                  description:
                    'You created the role in each account (Terraform, scripts, CLI: orgconnect templates export). orgconnect verifies each one through the access role and registers those that pass; it writes nothing to IAM.',
                },
              ]}
            />
          </FormField>
          {settings.access === 'manual' ? (
            <FormField
              label="Roles file (optional)"
              description="A CSV with a header and the columns account_id,role_arn[,connection_name]: one role per account, instead of one role name everywhere. Every line is checked before anything is adopted."
            >
              <FileUpload
                accept=".csv,text/csv"
                value={rolesFile}
                showFileSize
                constraintText={
                  settings.rolesCsvName
                    ? `Using ${settings.rolesCsvName}`
                    : 'No file: the role name above is used.'
                }
                i18nStrings={{
                  uploadButtonText: () => 'Choose roles file',
                  dropzoneText: () => 'Drop the roles file here',
                  removeFileAriaLabel: () => 'Remove roles file',
                  limitShowFewer: 'Show fewer',
                  limitShowMore: 'Show more',
                  errorIconAriaLabel: 'Error',
                }}
                onChange={({ detail }) => {
                  setRolesFile(detail.value);
                  const file = detail.value[0];
                  if (!file) {
                    set('rolesCsv', '');
                    set('rolesCsvName', '');
                    return;
                  }
                  void file.text().then((text) => {
                    set('rolesCsv', text);
                    set('rolesCsvName', file.name);
                  });
                }}
              />
            </FormField>
          ) : null}
          {settings.access === 'manual' ? (
            <FormField
              label="Role path"
              description="The IAM path of the roles you created. Empty: the platform's (/cloudzero/)."
              errorText={errors.rolePath}
            >
              <Input
                ariaLabel="Role path"
                value={settings.rolePath}
                placeholder="/cloudzero/"
                onChange={({ detail }) => set('rolePath', detail.value.trim())}
              />
            </FormField>
          ) : null}
          {settings.access === 'access-role' || settings.access === 'manual' ? (
            <FormField
              label="Access role"
              description="The role orgconnect assumes in each member account to deploy there."
              errorText={errors.accessRoleName}
            >
              <Input
                ariaLabel="Access role"
                value={settings.accessRoleName}
                onChange={({ detail }) => set('accessRoleName', detail.value.trim())}
              />
            </FormField>
          ) : null}
          {settings.access === 'identity-center' ? (
            <FormField
              label="Permission set"
              description="The Identity Center permission set assigned to you in every member account (it must allow CloudFormation and IAM)."
              errorText={errors.ssoRoleName}
            >
              <Input
                ariaLabel="Permission set"
                value={settings.ssoRoleName}
                onChange={({ detail }) => set('ssoRoleName', detail.value.trim())}
              />
            </FormField>
          ) : null}
          <FormField
            label="Cost and Usage Report bucket"
            description="The S3 bucket the Billing role may read: the one your Cost and Usage Report is delivered to, found on Connect. Empty: the role reads no bucket."
            errorText={errors.costAndUsageReportBucket}
          >
            <Input
              ariaLabel="Cost and Usage Report bucket"
              value={settings.costAndUsageReportBucket}
              placeholder="No bucket"
              onChange={({ detail }) => set('costAndUsageReportBucket', detail.value.trim())}
            />
          </FormField>
          <FormField
            label="Concurrency"
            description="Accounts deployed at the same time (1–64)."
            errorText={errors.concurrency}
          >
            <Input
              ariaLabel="Concurrency"
              type="number"
              value={String(settings.concurrency)}
              onChange={({ detail }) => set('concurrency', Number(detail.value))}
            />
          </FormField>
        </SpaceBetween>
      </Container>
      <PlatformSection />
    </SpaceBetween>
  );
}
