import { useEffect, useState } from 'react';
import SegmentedControl from '@cloudscape-design/components/segmented-control';
import AppLayout from '@cloudscape-design/components/app-layout';
import Flashbar from '@cloudscape-design/components/flashbar';
import Wizard from '@cloudscape-design/components/wizard';
import { orgconnectApi } from './bridge/index.js';
import { MfaPrompt } from './components/mfa-prompt.js';
import { DEPLOY_STEP, ReturningUser } from './components/returning-user.js';
import { StackEventsPanel } from './steps/deploy/stack-events-panel.js';
import { AccountsStep } from './steps/accounts/accounts-step.js';
import { ConnectStep } from './steps/connect/connect-step.js';
import { DeployStep } from './steps/deploy/deploy-step.js';
import { HealthStep } from './steps/health/health-step.js';
import { ReviewStep } from './steps/review/review-step.js';
import { SettingsStep } from './steps/settings/settings-step.js';
import { settingsErrors, type SettingsErrors } from './steps/settings/settings-validation.js';
import {
  clearErrors,
  connectHostEvents,
  dismissFlash,
  getState,
  profilesOpenElsewhere,
  reportError,
  setStep,
  switchWorkspace,
  update,
  useStep,
  useWizard,
  useWorkspaces,
  workspaceUpdater,
} from './store/wizard-store.js';
import { selectionSpec, withFlash } from './store/wizard-state.js';
import { finalMessage } from './store/final-message.js';

const NO_ERRORS: SettingsErrors = {};

/** Why the user cannot go on from a step, or undefined when they can. */
function blocker(step: number): { code: string; message: string; fix: string } | undefined {
  const s = getState();
  if (step === 0 && (!s.snapshot || !s.identity)) {
    return {
      code: 'CONNECT_FIRST',
      message: 'No Organization checked yet.',
      fix: 'Choose a profile, then "Check access".',
    };
  }
  if (step === 0 && s.profile && profilesOpenElsewhere().includes(s.profile)) {
    return {
      code: 'PROFILE_ALREADY_OPEN',
      message: `Profile "${s.profile}" is already being onboarded in another Organization tab.`,
      fix: 'Switch to that tab above, or choose another management profile here.',
    };
  }
  if (step === 0 && s.identity && !s.identity.isManagementAccount) {
    return {
      code: 'NOT_MANAGEMENT_ACCOUNT',
      message: 'This profile does not sign in to the management account.',
      fix: "Choose a profile for the Organization's management account.",
    };
  }
  if (step === 2 && s.selected.length === 0) {
    return {
      code: 'NOTHING_SELECTED',
      message: 'No account is selected.',
      fix: 'Select at least one active account.',
    };
  }
  if (step === 4 && s.runStatus !== 'finished') {
    return {
      code: 'DEPLOY_NOT_FINISHED',
      message: 'The deploy has not finished.',
      fix: 'Start the deploy and wait for it to finish, or cancel it.',
    };
  }
  return undefined;
}

async function createPlan(): Promise<boolean> {
  const s = getState();
  if (!s.profile || !s.snapshot) return false;
  const { settings } = s;
  const update = workspaceUpdater();
  update((current) => {
    const { planned: _p, runId: _r, runStatus: _s, counts: _c, finishedStatus: _f, ...rest } = current;
    return { ...rest, deploy: {} };
  });
  try {
    const planned = await orgconnectApi().plan.create({
      profile: s.profile,
      request: {
        externalId: settings.externalId,
        platformAccountId: settings.platformAccountId,
        select: selectionSpec(s.snapshot, s.selected),
        ...(Object.keys(s.nameOverrides).length > 0
          ? {
              nameOverrides: Object.fromEntries(
                Object.entries(s.nameOverrides).filter(([id]) => s.selected.includes(id)),
              ),
            }
          : {}),
        accessRoleName: settings.accessRoleName,
        mode: settings.access === 'stacksets' ? 'stacksets' : 'stacks',
        ...(settings.access === 'manual'
          ? {
              source: 'manual' as const,
              ...(settings.rolePath ? { rolePath: settings.rolePath } : {}),
              ...(settings.rolesCsv ? { rolesCsv: settings.rolesCsv } : {}),
            }
          : {}),
        ...(settings.access === 'identity-center'
          ? { accessMode: 'identity-center' as const, ssoRoleName: settings.ssoRoleName }
          : {}),
        ...(settings.roleName ? { roleName: settings.roleName } : {}),
        ...(settings.costAndUsageReportBucket
          ? { costAndUsageReportBucket: settings.costAndUsageReportBucket }
          : {}),
      },
    });
    update((current) => ({ ...current, planned }));
    return true;
  } catch (error) {
    reportError(error);
    return false;
  }
}

/** With more than one management profile open: which Organization the wizard below works on. */
function OrganizationSwitcher() {
  const { workspaces, activeId } = useWorkspaces();
  if (workspaces.length < 2) return null;
  return (
    <div style={{ marginBottom: 16 }}>
      <SegmentedControl
        label="Organization"
        selectedId={activeId}
        options={workspaces.map((w) => ({ id: w.id, text: w.label }))}
        onChange={({ detail }) => switchWorkspace(detail.selectedId)}
      />
    </div>
  );
}

/** The app shell: the wizard (Connect → Settings → Accounts → Review → Deploy → Health) and its messages. */
export function App() {
  const flashes = useWizard((s) => s.flashes);
  const focusedRow = useWizard((s) => s.focusedRow);
  const step = useStep();
  const [loadingNext, setLoadingNext] = useState(false);
  const [showSettingsErrors, setShowSettingsErrors] = useState(false);
  const settings = useWizard((s) => s.settings);
  const errors = showSettingsErrors ? settingsErrors(settings) : NO_ERRORS;

  useEffect(connectHostEvents, []);

  const navigate = async (requested: number, reason: string) => {
    if (reason !== 'next' || requested <= step) {
      setStep(requested);
      return;
    }
    const blocked = blocker(step);
    if (blocked) {
      update((s) => withFlash(s, { type: 'error', ...blocked }));
      return;
    }
    if (step === 1) {
      setShowSettingsErrors(true);
      if (Object.keys(settingsErrors(getState().settings)).length > 0) return;
    }
    clearErrors();
    if (step === 2) {
      setLoadingNext(true);
      const ok = await createPlan();
      setLoadingNext(false);
      if (!ok) return;
    }
    setStep(requested);
  };

  return (
    <AppLayout
      navigationHide
      toolsHide
      contentType="wizard"
      splitPanel={step === DEPLOY_STEP && focusedRow !== undefined ? <StackEventsPanel /> : undefined}
      splitPanelOpen={step === DEPLOY_STEP && focusedRow !== undefined}
      splitPanelPreferences={{ position: 'bottom' }}
      onSplitPanelToggle={({ detail }) => {
        if (!detail.open) update((s) => ({ ...s, focusedRow: undefined }));
      }}
      notifications={
        <Flashbar
          stackItems={false}
          items={flashes.map((f) => ({
            id: f.id,
            type: f.type,
            dismissible: true,
            dismissLabel: 'Dismiss message',
            onDismiss: () => dismissFlash(f.id),
            header: f.code ? `${f.code}: ${f.message}` : f.message,
            content: f.fix ? `Fix: ${f.fix}` : undefined,
          }))}
        />
      }
      content={
        <>
          <MfaPrompt />
          <OrganizationSwitcher />
          <ReturningUser onOpenStep={setStep} />
          <Wizard
            activeStepIndex={step}
            isLoadingNextStep={loadingNext}
            onNavigate={({ detail }) => void navigate(detail.requestedStepIndex, detail.reason)}
            onSubmit={() => update((s) => withFlash(s, finalMessage(Object.values(s.deploy))))}
            submitButtonText="Done"
            i18nStrings={{
              stepNumberLabel: (n) => `Step ${n}`,
              collapsedStepsLabel: (n, total) => `Step ${n} of ${total}`,
              skipToButtonLabel: (s) => `Skip to ${s.title}`,
              navigationAriaLabel: 'Steps',
              cancelButton: 'Start over',
              previousButton: 'Previous',
              nextButton: 'Next',
              optional: 'optional',
            }}
            onCancel={() => window.location.reload()}
            steps={[
              {
                title: 'Connect',
                description: 'Choose the management profile and check the Organization.',
                content: <ConnectStep />,
              },
              {
                title: 'Settings',
                description: 'The platform account, External ID and how to deploy.',
                content: <SettingsStep errors={errors} />,
              },
              { title: 'Choose accounts', content: <AccountsStep /> },
              { title: 'Review', description: 'What will happen in each account.', content: <ReviewStep /> },
              { title: 'Deploy', content: <DeployStep /> },
              {
                title: 'Health',
                description: 'Check every connection and export the report.',
                content: <HealthStep onStartOnboarding={() => setStep(0)} />,
              },
            ]}
          />
        </>
      }
    />
  );
}

// Unhandled bridge failures still reach the user as a message rather than the console only.
window.addEventListener('unhandledrejection', (event) => reportError(event.reason));
