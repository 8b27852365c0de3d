// The role-policies check's reads overlap: its listings start while GetRole is in flight, the managed and inline
// listings run together, and the inline documents are fetched together — one call's latency per step of the
// longest chain, not one per call. Each fake IAM call answers only once every call expected in that step has been
// made, so a sequential read stalls (and the test times out) instead of passing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCheckContext } from '../../main/core/health/check-context.js';
import { rolePoliciesCheck } from '../../main/core/health/checks/role-policies.js';
import { resourceConnection } from '../support/health-connection.js';

const connection = resourceConnection;

/** The check's context with `iam` as the account's IAM client (no other client is called). */
function contextWith(iam: { send: never }) {
  const idle = { send: (async () => ({})) as never };
  return createCheckContext({
    connection,
    clients: { cloudFormation: idle, iam, account: idle, stsIn: () => idle },
  });
}

/** Holds every call until the whole `step` has been asked for, then answers them all. */
function steppedIam(steps: string[][], answer: (name: string, input: Record<string, unknown>) => unknown) {
  const made: string[] = [];
  let waiting: { name: string; release: () => void }[] = [];
  const send = async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
    const name = command.constructor.name.replace(/Command$/, '');
    const label = name === 'GetRolePolicy' ? `GetRolePolicy:${String(command.input['PolicyName'])}` : name;
    made.push(label);
    await new Promise<void>((release) => {
      waiting.push({ name: label, release });
      const step = steps.find((s) => s.includes(label));
      if (step && step.every((l) => waiting.some((w) => w.name === l))) {
        const ready = waiting.filter((w) => step.includes(w.name));
        waiting = waiting.filter((w) => !step.includes(w.name));
        for (const w of ready) w.release();
      }
    });
    return answer(name, command.input);
  };
  return { send: send as never, made };
}

test('role-policies reads the policies alongside GetRole, both listings together, inline documents together', async () => {
  const iam = steppedIam(
    [
      ['GetRole', 'ListAttachedRolePolicies', 'ListRolePolicies'],
      ['GetRolePolicy:read-a', 'GetRolePolicy:read-b'],
    ],
    (name, input) => {
      if (name === 'GetRole')
        return {
          Role: {
            RoleName: connection.roleName,
            Arn: `arn:aws:iam::${connection.accountId}:role/${connection.roleName}`,
          },
        };
      if (name === 'ListAttachedRolePolicies') return { AttachedPolicies: [], IsTruncated: false };
      if (name === 'ListRolePolicies') return { PolicyNames: ['read-a', 'read-b'], IsTruncated: false };
      return { PolicyName: input['PolicyName'], PolicyDocument: '%7B%7D' };
    },
  );
  const context = contextWith(iam);
  const judged = await rolePoliciesCheck.run(context);
  assert.deepEqual(iam.made.slice(0, 3).sort(), ['GetRole', 'ListAttachedRolePolicies', 'ListRolePolicies']);
  assert.deepEqual(iam.made.slice(3).sort(), ['GetRolePolicy:read-a', 'GetRolePolicy:read-b']);
  // The judgement itself is the same as a sequential read's: these inline policies are not the profile's.
  assert.notEqual(judged.status, 'unknown');
});

test('a missing role still makes role-policies unknown, whatever the early listings said', async () => {
  const missing = Object.assign(new Error('The role cannot be found.'), { name: 'NoSuchEntityException' });
  const iam = {
    send: (async () => {
      throw missing;
    }) as never,
  };
  const context = contextWith(iam);
  const judged = await rolePoliciesCheck.run(context);
  assert.equal(judged.status, 'unknown');
  assert.match(judged.summary, /role could not be read/);
});
