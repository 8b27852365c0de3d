import { useState } from 'react';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import FormField from '@cloudscape-design/components/form-field';
import Input from '@cloudscape-design/components/input';
import Modal from '@cloudscape-design/components/modal';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { orgconnectApi } from '../bridge/index.js';
import { reportError, update, useWizard } from '../store/wizard-store.js';

const CODE = /^\d{6}$/;

/** Asks for the current code of an MFA device when the host needs one (a profile with mfa_serial). */
export function MfaPrompt() {
  const prompt = useWizard((s) => s.mfaPrompt);
  const [code, setCode] = useState('');
  const [touched, setTouched] = useState(false);
  if (!prompt) return null;

  const close = () => {
    setCode('');
    setTouched(false);
    update((s) => {
      const { mfaPrompt: _done, ...rest } = s;
      return rest;
    });
  };
  const send = (answer: string | undefined) => {
    close();
    orgconnectApi()
      .mfa.answer(
        answer === undefined ? { promptId: prompt.promptId } : { promptId: prompt.promptId, code: answer },
      )
      .catch(reportError);
  };
  const invalid = touched && !CODE.test(code);

  return (
    <Modal
      visible
      closeAriaLabel="Close: answer no code"
      onDismiss={() => send(undefined)}
      header="MFA code needed"
      footer={
        <Box float="right">
          <SpaceBetween direction="horizontal" size="xs">
            <Button variant="link" onClick={() => send(undefined)}>
              Cancel
            </Button>
            <Button
              variant="primary"
              onClick={() => {
                setTouched(true);
                if (CODE.test(code)) send(code);
              }}
            >
              Continue
            </Button>
          </SpaceBetween>
        </Box>
      }
    >
      <form
        onSubmit={(event) => {
          event.preventDefault();
          setTouched(true);
          if (CODE.test(code)) send(code);
        }}
      >
        <FormField
          label="MFA code"
          description={`The current 6-digit code from ${prompt.mfaSerial}.`}
          errorText={invalid ? 'Enter the 6 digits shown on your MFA device.' : undefined}
        >
          <Input
            value={code}
            onChange={({ detail }) => setCode(detail.value.trim())}
            inputMode="numeric"
            autoComplete="one-time-code"
            autoFocus
            ariaLabel="MFA code"
            invalid={invalid}
          />
        </FormField>
      </form>
    </Modal>
  );
}
