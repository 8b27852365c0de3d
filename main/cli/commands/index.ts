import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import { registerProfilesCommand } from './profiles.js';
import { registerLoginCommand } from './login.js';
import { registerWhoamiCommand } from './whoami.js';
import { registerAccountsCommand } from './accounts.js';
import { registerPlanCommand } from './plan.js';
import { registerDeployCommand } from './deploy.js';
import { registerDisconnectCommand } from './disconnect.js';
import { registerSyncCommand } from './sync.js';
import { registerRunCommands } from './runs.js';
import { registerHealthCommands } from './health.js';
import { registerServeCommand } from './serve.js';
import { registerRegisterCommand } from './register.js';
import { registerTemplatesCommand } from './templates.js';
import { registerAdoptCommand } from './adopt.js';

export function registerCommands(program: Command, context: CliContext): void {
  registerProfilesCommand(program, context);
  registerLoginCommand(program, context);
  registerWhoamiCommand(program, context);
  registerAccountsCommand(program, context);
  registerPlanCommand(program, context);
  registerDeployCommand(program, context);
  registerDisconnectCommand(program, context);
  registerSyncCommand(program, context);
  registerRunCommands(program, context);
  registerRegisterCommand(program, context);
  registerHealthCommands(program, context);
  registerServeCommand(program, context);
  registerTemplatesCommand(program, context);
  registerAdoptCommand(program, context);
}
