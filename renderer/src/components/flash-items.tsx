import Box from '@cloudscape-design/components/box';
import CopyToClipboard from '@cloudscape-design/components/copy-to-clipboard';
import type { FlashbarProps } from '@cloudscape-design/components/flashbar';
import type { Flash } from '../store/wizard-state.js';
import { titleFromCode } from './title-from-code.js';

/**
 * A message as the user needs it at the top of the page: what happened (the title, bold), why (the message),
 * what to do (the fix); the code small, with a copy button, for a support ticket or a search.
 */
export function flashItem(flash: Flash, onDismiss: (id: string) => void): FlashbarProps.MessageDefinition {
  const title = flash.title ?? (flash.code ? titleFromCode(flash.code) : undefined);
  return {
    id: flash.id,
    type: flash.type,
    dismissible: true,
    dismissLabel: 'Dismiss message',
    onDismiss: () => onDismiss(flash.id),
    header: <span data-part="title">{title ?? flash.message}</span>,
    content:
      title || flash.fix || flash.code ? (
        <div data-testid="flash-body" data-flash-type={flash.type}>
          {title ? <div data-part="reason">{flash.message}</div> : null}
          {flash.fix ? <div data-part="fix">Fix: {flash.fix}</div> : null}
          {flash.code ? (
            <Box variant="small" color="inherit">
              <CopyToClipboard
                variant="inline"
                textToCopy={flash.code}
                copyButtonAriaLabel={`Copy the code ${flash.code}`}
                copySuccessText="Code copied"
                copyErrorText="Could not copy the code"
              />
            </Box>
          ) : null}
        </div>
      ) : undefined,
  };
}
