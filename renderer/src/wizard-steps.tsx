/**
 * The wizard's steps, declared once and in order: what each is called, what it shows, what Next waits for and
 * checks before leaving it, and its split panel. The app shell, the store and every "open that step" link work
 * with step ids; the Wizard's indexes are derived from this list.
 */
import type { ReactNode } from 'react';
import { focusFirstSettingsError } from './focus-problem.js';
import { accountsBlocker, connectBlocker, deployBlocker, type Blocker } from './navigation-blockers.js';
import { accessCheckInFlight } from './steps/connect/check-access.js';
import { ConnectStep } from './steps/connect/connect-step.js';
import { SettingsStep } from './steps/settings/settings-step.js';
import { settingsErrors, type SettingsErrors } from './steps/settings/settings-validation.js';
import { AccountsStep } from './steps/accounts/accounts-step.js';
import { ReviewStep } from './steps/review/review-step.js';
import { PlanItemPanel } from './steps/review/plan-item-panel.js';
import { DeployStep } from './steps/deploy/deploy-step.js';
import { StackEventsPanel } from './steps/deploy/stack-events-panel.js';
import { HealthStep } from './steps/health/health-step.js';
import { HealthRowPanel } from './steps/health/health-row-panel.js';
import { createPlan } from './store/create-plan.js';
import { getState } from './store/wizard-store.js';
import type { WizardState } from './store/wizard-state.js';

/** What the shell hands a step's content and its checks. */
export interface StepContext {
  /** Settings' field errors, once Next has been tried there. */
  settingsErrors: SettingsErrors;
  /** Shows Settings' field errors from now on (Next was tried). */
  showSettingsErrors: () => void;
  /** Health's "Start onboarding": back to the first step. */
  startOnboarding: () => void;
}

interface WizardStep {
  id: string;
  title: string;
  description?: string;
  content: (context: StepContext) => ReactNode;
  /** Work in flight that Next waits for (the step shows its progress) rather than refusing. */
  waitBeforeNext?: () => Promise<unknown> | undefined;
  /** Why Next may not leave the step yet, as a message with its fix (and where to look). */
  blocker?: () => Blocker | undefined;
  /** Problems shown in the step's own form: false keeps the step (the form says why). */
  formIsValid?: (context: StepContext) => boolean;
  /** Work Next does before moving on (with Next's spinner); false keeps the step. */
  beforeNext?: () => Promise<boolean>;
  /** Arriving on this step plans again when the plan no longer matches the choices. */
  showsPlan?: boolean;
  /** The split panel that shows the step's focused row in full, when one is focused. */
  splitPanel?: { isOpen: (state: WizardState) => boolean; content: () => ReactNode };
}

export const WIZARD_STEPS = [
  {
    id: 'connect',
    title: 'Connect',
    description: 'Choose the management profile and check the Organization.',
    content: () => <ConnectStep />,
    // The Organization is still being read: wait for it rather than refuse.
    waitBeforeNext: accessCheckInFlight,
    blocker: connectBlocker,
  },
  {
    id: 'settings',
    title: 'Settings',
    description: 'The platform account, External ID and how to deploy.',
    content: (context) => <SettingsStep errors={context.settingsErrors} />,
    formIsValid: (context) => {
      context.showSettingsErrors();
      const found = settingsErrors(getState().settings);
      if (Object.keys(found).length === 0) return true;
      focusFirstSettingsError(found);
      return false;
    },
  },
  {
    id: 'accounts',
    title: 'Choose accounts',
    content: () => <AccountsStep />,
    blocker: accountsBlocker,
    beforeNext: createPlan,
  },
  {
    id: 'review',
    title: 'Review',
    description: 'What will happen in each account.',
    content: () => <ReviewStep />,
    showsPlan: true,
    splitPanel: { isOpen: (s) => s.focusedPlanItem !== undefined, content: () => <PlanItemPanel /> },
  },
  {
    id: 'deploy',
    title: 'Deploy',
    content: () => <DeployStep />,
    blocker: deployBlocker,
    showsPlan: true,
    splitPanel: { isOpen: (s) => s.focusedRow !== undefined, content: () => <StackEventsPanel /> },
  },
  {
    id: 'health',
    title: 'Health',
    description: 'Check every connection and export the report.',
    content: (context) => <HealthStep onStartOnboarding={context.startOnboarding} />,
    splitPanel: { isOpen: (s) => s.focusedHealthRow !== undefined, content: () => <HealthRowPanel /> },
  },
] as const satisfies readonly WizardStep[];

export type StepId = (typeof WIZARD_STEPS)[number]['id'];

/** The step's declaration, with its optional parts typed. */
export function wizardStep(id: StepId): WizardStep {
  return WIZARD_STEPS[stepIndex(id)] as WizardStep;
}

export function stepIndex(id: StepId): number {
  return WIZARD_STEPS.findIndex((step) => step.id === id);
}

/** The step at a Wizard index (Cloudscape reports navigation by index); the first step for anything else. */
export function stepAt(index: number): StepId {
  return (WIZARD_STEPS[index] ?? WIZARD_STEPS[0]).id;
}
