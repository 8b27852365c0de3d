/**
 * A small stand-in for the StackSet part of CloudFormation, for what moto cannot show: operations that stay
 * RUNNING, instances that fail inside the failure tolerance, OperationInProgressException and throttling. It
 * answers the SDK's own command objects (by class name) and throws the SDK's exception type with AWS's names.
 *
 * An operation follows a script of steps, one per DescribeStackSetOperation:
 *   fake.script([{ status: 'RUNNING', instances: { '111111111111': 'RUNNING' } },
 *                { status: 'SUCCEEDED', instances: { '111111111111': ['FAILED', 'Role already exists'] } }])
 * Accounts a step does not name keep their status; at a SUCCEEDED step without a script every instance succeeds.
 */
import type { StackInstanceSummary, Tag } from '@aws-sdk/client-cloudformation';
import { awsError } from './fake-cloudformation.js';

type Detailed = string | [string, string];
export interface OperationStep {
  status: string;
  statusReason?: string;
  instances?: Record<string, Detailed>;
}

interface FakeOperation {
  id: string;
  action: 'CREATE' | 'UPDATE';
  steps: OperationStep[];
  index: number;
}

export interface FakeStackSetState {
  id: string;
  name: string;
  tags: Tag[];
  parameters: { ParameterKey?: string; ParameterValue?: string }[];
  templateBody: string;
  permissionModel: string;
  autoDeployment?: { Enabled?: boolean; RetainStacksOnAccountRemoval?: boolean };
}

export class FakeStackSetCloudFormation {
  readonly calls: { command: string; input: Record<string, unknown> }[] = [];
  stackSet: FakeStackSetState | undefined;
  readonly operations = new Map<string, FakeOperation>();
  private readonly instances = new Map<string, StackInstanceSummary>();
  private readonly scripts: OperationStep[][] = [];
  private readonly queuedErrors = new Map<string, Error[]>();

  /** `accountsByUnit`: which accounts AWS would find below each OU (already flattened). */
  constructor(
    private readonly accountsByUnit: Record<string, string[]>,
    private readonly pageSize = 2,
  ) {}

  script(steps: OperationStep[]): this {
    this.scripts.push(steps);
    return this;
  }

  failNext(command: string, ...errors: Error[]): this {
    this.queuedErrors.set(command, [...(this.queuedErrors.get(command) ?? []), ...errors]);
    return this;
  }

  seed(stackSet: Omit<FakeStackSetState, 'id'>, instances: Record<string, string> = {}): void {
    this.stackSet = { ...stackSet, id: `${stackSet.name}:seeded` };
    for (const [account, detailed] of Object.entries(instances))
      this.setInstance(account, 'us-east-1', detailed);
  }

  commands(): string[] {
    return this.calls.map((call) => call.command);
  }

  client(): { send: (command: unknown) => Promise<unknown> } {
    return {
      send: (command) =>
        this.send(command as { constructor: { name: string }; input: Record<string, unknown> }),
    };
  }

  private setInstance(account: string, region: string, detailed: Detailed): void {
    const [status, reason] = Array.isArray(detailed) ? detailed : [detailed, undefined];
    this.instances.set(`${account}/${region}`, {
      StackSetId: this.stackSet?.id,
      Account: account,
      Region: region,
      StackId: `arn:aws:cloudformation:${region}:${account}:stack/StackSet-x/1`,
      Status: status === 'SUCCEEDED' ? 'CURRENT' : status === 'INOPERABLE' ? 'INOPERABLE' : 'OUTDATED',
      ...(reason === undefined ? {} : { StatusReason: reason }),
      StackInstanceStatus: { DetailedStatus: status as 'PENDING' },
    });
  }

  private startOperation(id: string, action: FakeOperation['action']): void {
    if (this.operations.has(id))
      throw awsError('OperationIdAlreadyExistsException', `Operation ${id} already exists`);
    const steps = this.scripts.shift() ?? [{ status: 'RUNNING' }, { status: 'SUCCEEDED' }];
    this.operations.set(id, { id, action, steps, index: -1 });
  }

  private async send(command: {
    constructor: { name: string };
    input: Record<string, unknown>;
  }): Promise<unknown> {
    const name = command.constructor.name.replace(/Command$/, '');
    const input = command.input;
    this.calls.push({ command: name, input });
    const queued = this.queuedErrors.get(name);
    if (queued && queued.length > 0) throw queued.shift();
    switch (name) {
      case 'DescribeStackSet': {
        if (!this.stackSet)
          throw awsError('StackSetNotFoundException', `StackSet ${String(input['StackSetName'])} not found`);
        const s = this.stackSet;
        return {
          StackSet: {
            StackSetName: s.name,
            StackSetId: s.id,
            Status: 'ACTIVE',
            TemplateBody: s.templateBody,
            Parameters: s.parameters.map((p) => ({
              ...p,
              ParameterValue: p.ParameterKey === 'ExternalId' ? '****' : p.ParameterValue,
            })),
            Tags: s.tags,
            PermissionModel: s.permissionModel,
            ...(s.autoDeployment ? { AutoDeployment: s.autoDeployment } : {}),
          },
        };
      }
      case 'CreateStackSet': {
        if (this.stackSet) throw awsError('NameAlreadyExistsException', 'StackSet already exists');
        this.stackSet = {
          id: `${String(input['StackSetName'])}:1`,
          name: String(input['StackSetName']),
          tags: input['Tags'] as Tag[],
          parameters: input['Parameters'] as FakeStackSetState['parameters'],
          templateBody: String(input['TemplateBody']),
          permissionModel: String(input['PermissionModel']),
          autoDeployment: input['AutoDeployment'] as FakeStackSetState['autoDeployment'],
        };
        return { StackSetId: this.stackSet.id };
      }
      case 'UpdateStackSet': {
        if (!this.stackSet) throw awsError('StackSetNotFoundException', 'not found');
        const id = String(input['OperationId']);
        this.startOperation(id, 'UPDATE');
        Object.assign(this.stackSet, {
          tags: input['Tags'],
          parameters: input['Parameters'],
          templateBody: input['TemplateBody'],
          autoDeployment: input['AutoDeployment'],
        });
        for (const instance of this.instances.values()) {
          instance.Status = 'OUTDATED';
          instance.StackInstanceStatus = { DetailedStatus: 'PENDING' };
        }
        return { OperationId: id };
      }
      case 'CreateStackInstances': {
        if (!this.stackSet) throw awsError('StackSetNotFoundException', 'not found');
        const id = String(input['OperationId']);
        this.startOperation(id, 'CREATE');
        const targets = input['DeploymentTargets'] as {
          OrganizationalUnitIds: string[];
          AccountFilterType?: string;
          Accounts?: string[];
        };
        const listed = new Set(targets.Accounts ?? []);
        for (const unit of targets.OrganizationalUnitIds) {
          for (const account of this.accountsByUnit[unit] ?? []) {
            if (targets.AccountFilterType === 'DIFFERENCE' && listed.has(account)) continue;
            if (targets.AccountFilterType === 'INTERSECTION' && !listed.has(account)) continue;
            for (const region of input['Regions'] as string[]) {
              if (!this.instances.has(`${account}/${region}`)) this.setInstance(account, region, 'PENDING');
            }
          }
        }
        return { OperationId: id };
      }
      case 'DescribeStackSetOperation': {
        const operation = this.operations.get(String(input['OperationId']));
        if (!operation) throw awsError('OperationNotFoundException', 'no such operation');
        operation.index = Math.min(operation.index + 1, operation.steps.length - 1);
        const step = operation.steps[operation.index] ?? { status: 'SUCCEEDED' };
        for (const [account, detailed] of Object.entries(step.instances ?? {})) {
          for (const key of this.instances.keys()) {
            if (key.startsWith(`${account}/`)) this.setInstance(account, key.slice(13), detailed);
          }
        }
        if (step.status === 'SUCCEEDED' && step.instances === undefined) {
          for (const [key, instance] of this.instances) {
            if (instance.StackInstanceStatus?.DetailedStatus !== 'FAILED')
              this.setInstance(instance.Account ?? '', key.slice(13), 'SUCCEEDED');
          }
        }
        if (step.status === 'RUNNING' && step.instances === undefined) {
          for (const [key, instance] of this.instances) {
            if (instance.StackInstanceStatus?.DetailedStatus === 'PENDING')
              this.setInstance(instance.Account ?? '', key.slice(13), 'RUNNING');
          }
        }
        return {
          StackSetOperation: {
            OperationId: operation.id,
            Action: operation.action,
            Status: step.status,
            ...(step.statusReason ? { StatusReason: step.statusReason } : {}),
          },
        };
      }
      case 'ListStackInstances': {
        const all = [...this.instances.values()];
        const start = input['NextToken'] === undefined ? 0 : Number(input['NextToken']);
        const page = all.slice(start, start + this.pageSize);
        const next = start + this.pageSize < all.length ? String(start + this.pageSize) : undefined;
        return { Summaries: page.map((summary) => ({ ...summary })), ...(next ? { NextToken: next } : {}) };
      }
      default:
        throw new Error(`FakeStackSetCloudFormation: ${name} is not faked`);
    }
  }
}

/** Organizations' trusted-access listing, in two pages so the deployer must follow NextToken. */
export function fakeOrganizations(
  principals: string[],
  options: { deny?: boolean } = {},
): {
  calls: number;
  send: (command: unknown) => Promise<unknown>;
} {
  const fake = {
    calls: 0,
    send: async (command: unknown): Promise<unknown> => {
      fake.calls++;
      const { constructor, input } = command as {
        constructor: { name: string };
        input: { NextToken?: string };
      };
      if (constructor.name !== 'ListAWSServiceAccessForOrganizationCommand')
        throw new Error(`not faked: ${constructor.name}`);
      if (options.deny)
        throw awsError('AccessDeniedException', 'You don’t have permissions to access this resource.');
      const half = Math.ceil(principals.length / 2);
      const page = input.NextToken === undefined ? principals.slice(0, half) : principals.slice(half);
      return {
        EnabledServicePrincipals: page.map((ServicePrincipal) => ({ ServicePrincipal })),
        ...(input.NextToken === undefined ? { NextToken: 'page-2' } : {}),
      };
    },
  };
  return fake;
}
