/**
 * Has anyone changed the stack's resources outside CloudFormation? Runs DetectStackDrift and waits for
 * DescribeStackDriftDetectionStatus. Drift is a warning: the role checks say whether the change matters.
 * Where drift detection is missing (moto, some partitions) or denied, the result is unknown with the reason.
 */
import {
  DescribeStackDriftDetectionStatusCommand,
  DetectStackDriftCommand,
  type DescribeStackDriftDetectionStatusCommandOutput,
} from '@aws-sdk/client-cloudformation';
import { pollUntil } from '../../cloudformation/index.js';
import type { HealthCheck } from '../check-context.js';
import { cannotCheckResult, result } from '../check-result.js';
import { cannotCheck } from '../../aws/cannot-check.js';

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
      return cannotCheckResult('stack-drift', cannotCheck(error, 'DetectStackDrift'));
    }
    if (!detectionId) return result('stack-drift', 'unknown', 'DetectStackDrift returned no detection id.');
    type Read = { status: DescribeStackDriftDetectionStatusCommandOutput } | { error: unknown } | 'timeout';
    const read = await pollUntil<Read>({
      read: () =>
        clients.cloudFormation
          .send(new DescribeStackDriftDetectionStatusCommand({ StackDriftDetectionId: detectionId }))
          .then(
            (status) => ({ status }),
            (error: unknown) => ({ error }),
          ),
      done: (read) =>
        read === 'timeout' || !('status' in read) || read.status.DetectionStatus !== 'DETECTION_IN_PROGRESS',
      clock: { now: context.now, sleep: (ms) => context.sleep(ms), random: () => 0 },
      policy: { baseMs: POLL_MS, capMs: POLL_MS, timeoutMs: context.options.driftTimeoutMs ?? 60_000 },
      delayMs: () => POLL_MS,
      onTimeout: () => 'timeout',
    });
    if (read === 'timeout')
      return result('stack-drift', 'unknown', 'Drift detection did not finish in time.');
    if ('error' in read) {
      return cannotCheckResult('stack-drift', cannotCheck(read.error, 'DescribeStackDriftDetectionStatus'));
    }
    const { status } = read;
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
        { fix: 'Look at the drift details in CloudFormation, then deploy again to restore the role.' },
      );
    }
    return result('stack-drift', 'unknown', `Drift status is ${status.StackDriftStatus ?? 'not reported'}.`);
  },
};
