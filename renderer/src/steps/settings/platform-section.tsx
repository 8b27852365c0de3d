/**
 * Settings' read-only Platform section: the profile the roles are made for, whom they trust, their path, and
 * where the host registers connections. Asked of the host (`platform.describe`), so it shows what a run will use.
 */
import { useEffect, useState } from 'react';
import Box from '@cloudscape-design/components/box';
import Container from '@cloudscape-design/components/container';
import Header from '@cloudscape-design/components/header';
import KeyValuePairs from '@cloudscape-design/components/key-value-pairs';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import type { ResponseOf } from '../../../../preload/contract.js';
import { orgconnectApi } from '../../bridge/index.js';
import { trustedPrincipalArns } from '../../../../main/core/platform/platform-description.js';

type Description = ResponseOf<'platform.describe'>;

export function PlatformSection() {
  const [description, setDescription] = useState<Description | undefined>();
  const [failure, setFailure] = useState<string | undefined>();
  useEffect(() => {
    let live = true;
    orgconnectApi()
      .platform.describe({})
      .then((value) => live && setDescription(value))
      .catch((error: unknown) => live && setFailure(error instanceof Error ? error.message : String(error)));
    return () => {
      live = false;
    };
  }, []);
  return (
    <Container header={<Header variant="h2">Platform</Header>}>
      {failure !== undefined ? (
        <StatusIndicator type="error">{failure}</StatusIndicator>
      ) : description === undefined ? (
        <StatusIndicator type="loading">Loading the platform profile</StatusIndicator>
      ) : (
        <KeyValuePairs
          columns={2}
          items={[
            {
              label: 'Profile',
              value: `${description.name}, permissions of ${description.version}`,
            },
            { label: 'Role path', value: description.rolePath },
            {
              label: 'Trusted principals',
              value: (
                <Box>
                  {trustedPrincipalArns(description.trustedAccountIds).map((arn) => (
                    <div key={arn}>{arn}</div>
                  ))}
                </Box>
              ),
            },
            {
              label: 'Registration endpoint',
              value:
                'off' in description.registration
                  ? `off (${description.registration.off})`
                  : description.registration.endpoint,
            },
          ]}
        />
      )}
    </Container>
  );
}
