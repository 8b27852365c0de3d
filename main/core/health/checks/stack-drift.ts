/**
 * Has anyone changed the stack's resources outside CloudFormation? Runs DetectStackDrift and waits for
 * DescribeStackDriftDetectionStatus. Drift is a warning: the role checks say whether the change matters.
 * Where drift detection is missing (moto, some partitions) or denied, the result is unknown with the reason.
 */
import {
  DescribeStackDriftDetectionStatusCommand,
  DetectStackDriftCommand,
} from '@aws-sdk/client-cloudformation';
import type { HealthCheck } from '../check-context.js';
import { result } from '../check-result.js';
import { cannotCheck } from '../cannot-check.js';

const POLL_MS = 2000;

export const stackDriftCheck: HealthCheck = {
  id: 'stack-drift',
  needsAws: true,
  async run(context) {
    const { connection, clients, stack } = context;
    if (connection.source === 'manual')
      return result('stack-drift', 'skipped', 'Adopted role: no stack (the role checks judge it).');
    const found = await stack();
    if (!clients || found.found !== true) {
      return result(
        'stack-drift',
        'unknown',
        'Drift not checked: the stack could not be read (see stack-status).',
      );
    }
    let detectionId: string | undefined;
    try {
      detectionId = (
        await clients.cloudFormation.send(new DetectStackDriftCommand({ StackName: connection.stackName }))
      ).StackDriftDetectionId;
    } catch (error) {
      return result('stack-drift', 'unknown', cannotCheck(error, 'DetectStackDrift').reason);
    }
    if (!detectionId) return result('stack-drift', 'unknown', 'DetectStackDrift returned no detection id.');
    const deadline = context.now() + (context.options.driftTimeoutMs ?? 60_000);
    for (;;) {
      let status;
      try {
        status = await clients.cloudFormation.send(
          new DescribeStackDriftDetectionStatusCommand({ StackDriftDetectionId: detectionId }),
        );
      } catch (error) {
        return result(
          'stack-drift',
          'unknown',
          cannotCheck(error, 'DescribeStackDriftDetectionStatus').reason,
        );
      }
      if (status.DetectionStatus === 'DETECTION_IN_PROGRESS') {
        if (context.now() >= deadline)
          return result('stack-drift', 'unknown', 'Drift detection did not finish in time.');
        await context.sleep(POLL_MS);
        continue;
      }
      if (status.DetectionStatus === 'DETECTION_FAILED') {
        return result(
          'stack-drift',
          'unknown',
          `Drift detection failed: ${status.DetectionStatusReason ?? 'no reason given'}.`,
        );
      }
      if (status.StackDriftStatus === 'IN_SYNC')
        return result('stack-drift', 'pass', 'The stack has not drifted.');
      if (status.StackDriftStatus === 'DRIFTED') {
        return result(
          'stack-drift',
          'warn',
          `The stack has drifted (${status.DriftedStackResourceCount ?? '?'} resource(s) changed outside CloudFormation).`,
          {
            fix: 'Look at the drift details in CloudFormation, then deploy again to restore the role.',
          },
        );
      }
      return result(
        'stack-drift',
        'unknown',
        `Drift status is ${status.StackDriftStatus ?? 'not reported'}.`,
      );
    }
  },
};
