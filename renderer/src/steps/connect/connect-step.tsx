import { useEffect, useState } from 'react';
import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import ColumnLayout from '@cloudscape-design/components/column-layout';
import Container from '@cloudscape-design/components/container';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import KeyValuePairs from '@cloudscape-design/components/key-value-pairs';
import Link from '@cloudscape-design/components/link';
import Select from '@cloudscape-design/components/select';
import SpaceBetween from '@cloudscape-design/components/space-between';
import type { ResponseOf } from '../../../../preload/contract.js';
import { orgconnectApi } from '../../bridge/index.js';
import {
  addWorkspace,
  clearErrors,
  reportError,
  update,
  useWizard,
  workspaceUpdater,
} from '../../store/wizard-store.js';
import { withFlash } from '../../store/wizard-state.js';
import { checkAccess } from './check-access.js';
import { CellText } from '../../components/cell-text.js';
import { CurSetupButton } from './cur-setup-button.js';

const KIND_LABELS: Record<string, string> = {
  static: 'Access keys',
  'assume-role': 'Assume role',
  'credential-process': 'Credential process',
  'web-identity': 'Web identity',
  sso: 'IAM Identity Center',
  'sso-legacy': 'IAM Identity Center (legacy)',
  unknown: 'Unknown',
};

/** The management account's Cost and Usage Report, as the platform needs it: usable (and its bucket), or the fix. */
function CurStatus({ status, profile }: { status: ResponseOf<'cur.status'> | undefined; profile: string }) {
  if (!status) return null;
  if (status.status === 'pass' || status.status === 'warn') {
    return (
      <Alert type={status.status === 'pass' ? 'success' : 'warning'} header="Cost and Usage Report">
        {status.summary}
        {status.bucket ? ` The Billing role will read bucket ${status.bucket} (change it in Settings).` : ''}
        {status.fix ? ` Fix: ${status.fix}` : ''}
      </Alert>
    );
  }
  if (status.status === 'fail') {
    return (
      <Alert
        type="warning"
        header="No usable Cost and Usage Report"
        action={<CurSetupButton profile={profile} />}
      >
        {status.summary} The platform needs one to read your costs.{status.fix ? ` Fix: ${status.fix}` : ''}
      </Alert>
    );
  }
  return (
    <Alert type="info" header="Cost and Usage Report not checked">
      {status.summary} Connecting works without it; the Billing health check looks again after the deploy.
    </Alert>
  );
}

/** Step 1: pick the management profile and see the Organization it reaches. */
export function ConnectStep() {
  const profiles = useWizard((s) => s.profiles);
  const costAndUsageReport = useWizard((s) => s.costAndUsageReport);
  const profile = useWizard((s) => s.profile);
  const identity = useWizard((s) => s.identity);
  const snapshot = useWizard((s) => s.snapshot);
  const activity = useWizard((s) => s.activity);
  const [checking, setChecking] = useState(false);
  const [signingIn, setSigningIn] = useState(false);
  const loginPrompt = useWizard((s) => s.loginPrompt);

  useEffect(() => {
    if (profiles) return;
    orgconnectApi()
      .profiles.list()
      .then((list) => update((s) => ({ ...s, profiles: list, profile: s.profile ?? list.selectedProfile })))
      .catch(reportError);
  }, [profiles]);

  const options = (profiles?.profiles ?? []).map((p) => ({
    value: p.name,
    label: p.name,
    description: KIND_LABELS[p.kind] ?? p.kind,
    tags: [p.region ?? 'no region', ...(p.ssoAccountId ? [`account ${p.ssoAccountId}`] : [])],
  }));
  const selectedOption = options.find((o) => o.value === profile) ?? null;
  const selectedKind = profiles?.profiles.find((p) => p.name === profile)?.kind;

  const check = async () => {
    if (!profile) return;
    setChecking(true);
    try {
      await checkAccess(profile);
    } finally {
      setChecking(false);
    }
  };

  const signIn = async () => {
    if (!profile) return;
    const update = workspaceUpdater();
    setSigningIn(true);
    clearErrors();
    try {
      const session = await orgconnectApi().sso.login({ profile });
      update((s) =>
        withFlash(s, {
          type: 'success',
          message: `Signed in to ${session.startUrl} until ${new Date(session.expiresAt).toLocaleString()}.`,
        }),
      );
      await check();
    } catch (error) {
      reportError(error);
    } finally {
      setSigningIn(false);
      update((s) => {
        const { loginPrompt: _done, ...rest } = s;
        return rest;
      });
    }
  };

  return (
    <SpaceBetween size="l">
      <Container
        header={
          <Header
            variant="h2"
            description="The profile that signs in to your Organization's management account."
          >
            Management profile
          </Header>
        }
      >
        <SpaceBetween size="m">
          <FormField
            label="AWS profile"
            description={
              profiles
                ? `From ${profiles.configFile} and ${profiles.credentialsFile}`
                : 'Reading your AWS config…'
            }
          >
            <Select
              ariaLabel="AWS profile"
              selectedOption={selectedOption}
              options={options}
              placeholder="Choose a profile"
              statusType={profiles ? 'finished' : 'loading'}
              empty="No profiles found in your AWS config"
              onChange={({ detail }) =>
                update((s) => {
                  const { identity: _i, snapshot: _s, planned: _p, ...rest } = s;
                  return { ...rest, profile: detail.selectedOption.value, selected: [] };
                })
              }
            />
          </FormField>
          {(profiles?.warnings ?? []).map((w) => (
            <Alert key={`${w.file}:${w.line}:${w.code}`} type="warning" header={w.code}>
              {w.file}:{w.line} — {w.message}
            </Alert>
          ))}
          {selectedKind === 'sso' || selectedKind === 'sso-legacy' ? (
            <Alert
              type="info"
              header="IAM Identity Center"
              action={
                <Button onClick={() => void signIn()} loading={signingIn} disabled={!profile}>
                  Sign in with IAM Identity Center
                </Button>
              }
            >
              {signingIn && loginPrompt ? (
                <span data-testid="login-instructions">
                  Finish signing in in the browser window that opened
                  {loginPrompt.userCode ? (
                    <>
                      {' '}
                      and confirm the code <Box variant="code">{loginPrompt.userCode}</Box>
                    </>
                  ) : null}
                  . No window?{' '}
                  <Link href={loginPrompt.verificationUri ?? loginPrompt.url} external>
                    Open the sign-in page
                  </Link>
                </span>
              ) : (
                'Sign in when this profile has no session yet or it has expired; the AWS CLI uses the same session.'
              )}
            </Alert>
          ) : null}
          <Button variant="primary" onClick={() => void check()} loading={checking} disabled={!profile}>
            Check access
          </Button>
          {checking && activity ? <Box color="text-status-info">{activity}</Box> : null}
        </SpaceBetween>
      </Container>
      {identity ? (
        <Container
          header={
            <Header
              variant="h2"
              actions={
                snapshot ? <Button onClick={addWorkspace}>Add another management profile</Button> : undefined
              }
              description="Several Organizations (payer accounts)? Add each management profile; each gets its own tab."
            >
              Organization
            </Header>
          }
        >
          <SpaceBetween size="m">
            {identity.isManagementAccount ? null : (
              <Alert type="error" header="Not the management account">
                This profile signs in to account {identity.accountId}, not the Organization's management
                account
                {identity.managementAccountId ? ` (${identity.managementAccountId})` : ''}. Fix: choose a
                profile for the management account.
              </Alert>
            )}
            {identity.featureSet === 'CONSOLIDATED_BILLING' ? (
              <Alert type="error" header="All features are not enabled">
                The Organization has only consolidated billing features. Fix: enable all features in AWS
                Organizations.
              </Alert>
            ) : null}
            <CurStatus status={costAndUsageReport} profile={profile ?? ''} />
            <ColumnLayout columns={1}>
              <KeyValuePairs
                columns={4}
                items={[
                  { label: 'Signed in as', value: <CellText>{identity.arn}</CellText> },
                  {
                    label: 'Organization',
                    value: snapshot?.organization.id ?? identity.organizationId ?? '—',
                  },
                  { label: 'Management account', value: identity.managementAccountId ?? '—' },
                  {
                    label: 'Accounts',
                    value: snapshot
                      ? `${snapshot.accounts.length} (${snapshot.accounts.filter((a) => a.status !== 'ACTIVE').length} not active), ${snapshot.ous.length} OUs`
                      : 'Discovering…',
                  },
                ]}
              />
            </ColumnLayout>
          </SpaceBetween>
        </Container>
      ) : null}
    </SpaceBetween>
  );
}
