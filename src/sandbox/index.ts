export { startSandbox, formatChinaTime, SANDBOX_MESSAGES } from './server.js';
export type { Sandbox, SandboxCredentials, SandboxMode, SandboxOptions, SandboxRequestRecord } from './server.js';
export { writeSandboxFiles, SandboxFolderError } from './files.js';
export type { SandboxFiles } from './files.js';
export { FAULT_NAMES, FAULT_DESCRIPTIONS, parseFaultSpec } from './faults.js';
export type { FaultName, FaultSpec } from './faults.js';
