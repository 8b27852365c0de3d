/** Why the user cannot go on from a wizard step yet: a problem with a title, the reason, the fix and where it is. */
import { connectionNames } from './steps/accounts/connection-name-problems.js';
import { getState, profilesOpenElsewhere } from './store/wizard-store.js';

export interface Blocker {
  title: string;
  code: string;
  message: string;
  fix: string;
  /** The element to focus and scroll to (a CSS selector), when the problem is on the page. */
  focus?: string;
}

/** Connect: the Organization must be checked, with the management account, and not open in another tab. */
export function connectBlocker(): Blocker | undefined {
  const s = getState();
  if (!s.snapshot || !s.identity) {
    return {
      title: 'No Organization checked yet',
      code: 'CONNECT_FIRST',
      message: 'The wizard needs the Organization before it can go on.',
      fix: 'Choose a profile, then "Check access".',
      focus: 'button[aria-label^="AWS profile"]',
    };
  }
  if (s.profile && profilesOpenElsewhere().includes(s.profile)) {
    return {
      title: 'Profile already open',
      code: 'PROFILE_ALREADY_OPEN',
      message: `Profile "${s.profile}" is already being onboarded in another Organization tab.`,
      fix: 'Switch to that tab above, or choose another management profile here.',
    };
  }
  if (s.identity && !s.identity.isManagementAccount) {
    return {
      title: 'Not the management account',
      code: 'NOT_MANAGEMENT_ACCOUNT',
      message: 'This profile does not sign in to the management account.',
      fix: "Choose a profile for the Organization's management account.",
    };
  }
  return undefined;
}

/** Choose accounts: something selected, and every selected account's connection name usable. */
export function accountsBlocker(): Blocker | undefined {
  const s = getState();
  if (s.selected.length === 0) {
    return {
      title: 'No account selected',
      code: 'NOTHING_SELECTED',
      message: 'There is nothing to connect.',
      fix: 'Select at least one active account.',
    };
  }
  if (s.snapshot) {
    const { names, problems } = connectionNames(s.snapshot.accounts, s.nameOverrides);
    const account = s.snapshot.accounts.find((a) => s.selected.includes(a.id) && problems[a.id]);
    if (account) {
      return {
        title: 'A connection name cannot be used',
        code: 'CONNECTION_NAME_INVALID',
        message: `${account.name} (${account.id}), "${names[account.id] ?? ''}": ${problems[account.id] ?? ''}`,
        fix: 'Edit the connection name in the Accounts table.',
        focus: `button[aria-label="Edit the connection name of ${CSS.escape(account.name)}"]`,
      };
    }
  }
  return undefined;
}

/** Deploy: Health checks what the deploy made, so the run must have finished. */
export function deployBlocker(): Blocker | undefined {
  const s = getState();
  if (s.runStatus !== 'finished') {
    return {
      title: 'The deploy has not finished',
      code: 'DEPLOY_NOT_FINISHED',
      message: 'Health checks the connections the deploy made.',
      fix: 'Start the deploy and wait for it to finish, or cancel it.',
    };
  }
  return undefined;
}
