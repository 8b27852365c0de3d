import { useEffect, useState } from 'react';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Modal from '@cloudscape-design/components/modal';
import SpaceBetween from '@cloudscape-design/components/space-between';
import SegmentedControl from '@cloudscape-design/components/segmented-control';
import AppLayout from '@cloudscape-design/components/app-layout';
import Flashbar from '@cloudscape-design/components/flashbar';
import Wizard from '@cloudscape-design/components/wizard';
import { flashItem } from './components/flash-items.js';
import { MfaPrompt } from './components/mfa-prompt.js';
import { SandboxLabel } from './components/sandbox-label.js';
import { ReturningUser } from './components/returning-user.js';
import { focusSoon } from './focus-problem.js';
import { settingsErrors, type SettingsErrors } from './steps/settings/settings-validation.js';
import {
  clearErrors,
  connectHostEvents,
  dismissFlash,
  getState,
  reportError,
  setStep,
  switchWorkspace,
  update,
  useStep,
  useWizard,
  useWorkspaces,
} from './store/wizard-store.js';
import { withFlash } from './store/wizard-state.js';
import { finalMessage } from './store/final-message.js';
import { connectHealthNotifications, openHealthRow } from './steps/health/health-notifications.js';
import { planIsStale, planRequestKey } from './store/plan-request.js';
import { completionSummary, rowCounts } from './store/run-summary.js';
import { createPlan } from './store/create-plan.js';
import { WIZARD_STEPS, stepAt, stepIndex, wizardStep, type StepContext } from './wizard-steps.js';

const NO_ERRORS: SettingsErrors = {};

/** A run in progress keeps its plan: settings changed meanwhile apply to the next plan, not to this run. */
function runInProgress(): boolean {
  const status = getState().runStatus;
  return status === 'running' || status === 'paused' || status === 'cancelling';
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
  const step = useStep();
  const current = wizardStep(step);
  // The split panel shows the focused row of the step's table in full.
  const splitPanelOpen = useWizard((s) => current.splitPanel?.isOpen(s) === true);
  const [loadingNext, setLoadingNext] = useState(false);
  const [confirmStartOver, setConfirmStartOver] = useState(false);
  const [showSettingsErrors, setShowSettingsErrors] = useState(false);
  const settings = useWizard((s) => s.settings);
  const errors = showSettingsErrors ? settingsErrors(settings) : NO_ERRORS;
  const stalePlan = useWizard(
    (s) => planIsStale(s) || (s.planned === undefined && s.runId === undefined && s.snapshot !== undefined),
  );

  useEffect(connectHostEvents, []);
  useEffect(connectHealthNotifications, []);

  // Review and Deploy never show the plan of earlier choices: a change to the profile, settings, selection or
  // names plans again on arrival (a run in progress keeps its plan).
  useEffect(() => {
    if (wizardStep(step).showsPlan !== true || !stalePlan || loadingNext || runInProgress()) return;
    // A plan that failed for these very inputs is not retried on its own: Review offers "Plan again".
    if (getState().planFailedKey === planRequestKey(getState())) return;
    void createPlan();
  }, [step, stalePlan, loadingNext]);

  const context: StepContext = {
    settingsErrors: errors,
    showSettingsErrors: () => setShowSettingsErrors(true),
    startOnboarding: () => setStep('connect'),
  };

  const navigate = async (requestedIndex: number, reason: string) => {
    const requested = stepAt(requestedIndex);
    if (reason !== 'next' || requestedIndex <= stepIndex(step)) {
      setStep(requested);
      return;
    }
    const waiting = current.waitBeforeNext?.();
    if (waiting) {
      setLoadingNext(true);
      await waiting;
      setLoadingNext(false);
    }
    const blocked = current.blocker?.();
    if (blocked) {
      const { focus, ...problem } = blocked;
      update((s) => withFlash(s, { type: 'error', ...problem }));
      if (focus) focusSoon(focus);
      return;
    }
    if (current.formIsValid && !current.formIsValid(context)) return;
    clearErrors();
    if (current.beforeNext) {
      setLoadingNext(true);
      const ok = await current.beforeNext();
      setLoadingNext(false);
      if (!ok) return;
    }
    setStep(requested);
  };

  const splitPanel = splitPanelOpen ? current.splitPanel?.content() : undefined;

  return (
    <AppLayout
      navigationHide
      toolsHide
      contentType="wizard"
      splitPanel={splitPanel}
      splitPanelOpen={splitPanel !== undefined}
      splitPanelPreferences={{ position: 'bottom' }}
      onSplitPanelToggle={({ detail }) => {
        if (!detail.open) {
          update((s) => ({
            ...s,
            focusedRow: undefined,
            focusedPlanItem: undefined,
            focusedHealthRow: undefined,
          }));
        }
      }}
      notifications={
        <Flashbar
          stackItems={false}
          items={flashes.map((f) => ({
            ...flashItem(f, dismissFlash),
            ...(f.openRow ? { buttonText: 'Open', onButtonClick: () => openHealthRow(f.openRow!) } : {}),
          }))}
        />
      }
      content={
        <>
          <SandboxLabel />
          <MfaPrompt />
          {confirmStartOver ? (
            <Modal
              visible
              header="Start over?"
              closeAriaLabel="Close: keep going"
              onDismiss={() => setConfirmStartOver(false)}
              footer={
                <Box float="right">
                  <SpaceBetween direction="horizontal" size="xs">
                    <Button variant="link" onClick={() => setConfirmStartOver(false)}>
                      Keep going
                    </Button>
                    <Button variant="primary" onClick={() => window.location.reload()}>
                      Start over
                    </Button>
                  </SpaceBetween>
                </Box>
              }
            >
              The wizard forgets the profile, settings, selection and plan on this screen. Runs already
              started keep going in the app and stay in their journals; nothing in AWS is changed.
            </Modal>
          ) : null}
          <OrganizationSwitcher />
          <ReturningUser onOpenStep={setStep} />
          <Wizard
            activeStepIndex={stepIndex(step)}
            isLoadingNextStep={loadingNext}
            onNavigate={({ detail }) => void navigate(detail.requestedStepIndex, detail.reason)}
            onSubmit={() =>
              update((s) => {
                const rows = Object.values(s.deploy);
                // What is true: the rows' counts and the health, then what the platform has (never "All done"
                // while anything failed or is not registered).
                const closing = finalMessage(rows);
                return withFlash(s, {
                  ...closing,
                  title: closing.type === 'success' ? 'Onboarding finished' : 'Onboarding not finished',
                  message: `${completionSummary(rowCounts(rows), s.health)} ${closing.message}`,
                });
              })
            }
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
            onCancel={() => setConfirmStartOver(true)}
            steps={WIZARD_STEPS.map((declared) => ({
              title: declared.title,
              ...('description' in declared ? { description: declared.description } : {}),
              content: declared.content(context),
            }))}
          />
        </>
      }
    />
  );
}

// Unhandled bridge failures still reach the user as a message rather than the console only.
window.addEventListener('unhandledrejection', (event) => reportError(event.reason));
