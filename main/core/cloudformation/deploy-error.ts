/**
 * The one error a failed CloudFormation deploy (or delete) throws: an OrgConnectError that also says which stack
 * or StackSet operation to look at, so the run can journal it and a person can find it in the console.
 */
import { OrgConnectError } from '../errors.js';

export class DeployError extends OrgConnectError {
  readonly stackId: string | undefined;
  readonly operationId: string | undefined;
  constructor(
    code: string,
    message: string,
    options: { fix?: string; stackId?: string; operationId?: string; cause?: unknown } = {},
  ) {
    super(code, message, options);
    this.name = 'DeployError';
    this.stackId = options.stackId;
    this.operationId = options.operationId;
  }
}
