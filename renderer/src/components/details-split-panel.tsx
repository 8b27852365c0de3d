import type { ReactNode } from 'react';
import SplitPanel from '@cloudscape-design/components/split-panel';

/** The split panel under a table: the focused row in full (long reasons, fixes, checks, ARNs). */
export function DetailsSplitPanel({ header, children }: { header: string; children: ReactNode }) {
  return (
    <SplitPanel
      header={header}
      hidePreferencesButton
      closeBehavior="hide"
      i18nStrings={{
        closeButtonAriaLabel: 'Close details',
        openButtonAriaLabel: 'Open details',
        resizeHandleAriaLabel: 'Resize details',
      }}
    >
      {children}
    </SplitPanel>
  );
}
