/** `wxpay-coupon sandbox`: serve the local WeChat Pay emulator until Ctrl-C. */
import type { SandboxFolderError } from '../../sandbox/files.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { UsageError } from '../../errors.js';
import { isLoopbackHost } from '../../urls.js';
import type { CommandContext } from './shared.js';
import { warn } from '../output.js';
import { t } from '../../i18n/index.js';
import { escapeInvisible, jsonLine } from '../../redact.js';

export interface SandboxCommandOptions {
  host: string;
  port: string;
  dir?: string;
  mode: string;
  json?: boolean;
  fault?: string[];
}

export async function runSandbox(options: SandboxCommandOptions, context: CommandContext): Promise<number> {
  const { io, colour, colourErr } = context;
  io.longRunning?.();
  if (options.mode !== 'public-key' && options.mode !== 'certificate') {
    throw new UsageError(t('ops.sandbox.invalidMode', { mode: options.mode }), { code: 'INVALID_MODE' });
  }
  if (!/^[0-9]+$/.test(options.port) || Number(options.port) > 65535) {
    throw new UsageError(t('ops.sandbox.invalidPort', { port: options.port }), { code: 'INVALID_PORT' });
  }
  const { parseFaultSpec, FAULT_DESCRIPTIONS } = await import('../../sandbox/faults.js');
  const faults = (options.fault ?? []).map((text) => {
    try {
      return parseFaultSpec(text);
    } catch (error) {
      throw new UsageError(`--fault ${(error as Error).message}`, { code: 'INVALID_FAULT' });
    }
  });
  const { startSandbox } = await import('../../sandbox/server.js');
  const { writeSandboxFiles, removeSandboxPid, SandboxFolderError, SANDBOX_SIGNING_KEY_FILE } = await import('../../sandbox/files.js');
  let sandbox;
  try {
    sandbox = await startSandbox({
      host: options.host,
      port: Number(options.port),
      mode: options.mode,
      faults,
      // A sandbox left running for days must not grow without bound.
      maxRecordedRequests: 1000,
      // With --json, stderr carries JSON lines only: each request is {"request":{…}}.
      onRequest: (record) =>
        io.stderr.write(
          options.json
            ? `${JSON.stringify({ request: { method: record.method, path: record.path, status: record.status, ...(record.code ? { code: record.code } : {}), ...(record.fault ? { fault: record.fault } : {}) } })}\n`
            : `${colourErr.dim(`${record.method} ${record.path} → ${String(record.status)}${record.code ? ` ${record.code}` : ''}${record.fault ? t('ops.sandbox.log.fault', { fault: record.fault }) : ''}`)}\n`,
        ),
    });
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new UsageError(t('ops.sandbox.listenFailed', { host: options.host, port: options.port, reason: code ?? String(error) }), {
      code: 'LISTEN_FAILED',
    });
  }
  // --dir's folder keeps its files (its pid file aside); the folder made when no --dir is given
  // holds keys that die with the sandbox, so it goes with it.
  const given = options.dir !== undefined ? path.resolve(io.cwd, options.dir) : undefined;
  let made: string | undefined;
  try {
    const dir = given ?? (made = await mkdtemp(path.join(tmpdir(), 'wxpay-sandbox-')));
    const files = await writeSandboxFiles(sandbox, dir).catch(async (error: unknown) => {
      // A folder that is not only ours, or holds a real config: the flag is wrong (exit 2).
      if (error instanceof SandboxFolderError) throw folderRefused(error, options.dir, dir, SANDBOX_SIGNING_KEY_FILE);
      // A file in the way, a read-only or full disk: the flag is wrong, not wxpay-coupon (exit 2, not 70).
      const code = (error as { code?: string }).code;
      const { outProblem } = await import('./certs.js');
      const problem = outProblem(code) ?? t('ops.certs.out.other', { reason: code ?? String(error) });
      throw new UsageError(t('ops.sandbox.dirInvalid', { given: options.dir, folder: dir, problem }), { code: 'INVALID_DIR' });
    });
    // A command to paste: the path shell-quoted when it needs it (a space, a quote; hostile check, helper-40).
    const tryCommand = `wxpay-coupon token --config ${shellWord(files.configPath)} --open-id oSandboxUser --coupon 16474341:11004999626`;
    if (!isLoopbackHost(options.host)) {
      warn(context, 'SANDBOX_EXPOSED', t('ops.sandbox.exposed', { host: options.host }));
    }
    if (options.json) {
      io.stdout.write(
        `${jsonLine({ base_url: sandbox.baseUrl, mode: sandbox.mode, dir, config: files.configPath, mchid: sandbox.credentials.mchid, try: tryCommand })}\n`,
      );
    } else {
      io.stdout.write(
        [
          t('ops.sandbox.at', { title: colour.bold(t('ops.sandbox.title')), mode: sandbox.mode, baseUrl: colour.green(sandbox.baseUrl) }),
          t('ops.sandbox.dir', { dir: escapeInvisible(dir) }),
          t('ops.sandbox.try'),
          `  ${escapeInvisible(tryCommand)}`,
          '',
        ].join('\n'),
      );
      io.stderr.write(`${colourErr.dim(t('ops.sandbox.serving'))}\n`);
    }
    for (const fault of faults) {
      if (options.json) {
        io.stderr.write(
          `${JSON.stringify({ fault: { name: fault.name, description: FAULT_DESCRIPTIONS[fault.name], requests: fault.count ?? 'all' } })}\n`,
        );
      } else {
        io.stderr.write(
          `${t('ops.sandbox.fault.line', { label: colourErr.yellow(t('ops.sandbox.fault.label')), name: fault.name, description: FAULT_DESCRIPTIONS[fault.name], count: fault.count })}\n`,
        );
      }
    }
    await new Promise<void>((resolve) => {
      if (io.signal?.aborted) resolve();
      else io.signal?.addEventListener('abort', () => resolve(), { once: true });
    });
    return 0;
  } finally {
    await sandbox.close();
    if (given !== undefined) await removeSandboxPid(given);
    // Best effort: a temporary folder someone made unremovable is the system's to clean.
    if (made !== undefined) await rm(made, { recursive: true, force: true }).catch(() => undefined);
  }
}

/** The usage error for a --dir folder writeSandboxFiles refused: whose it is, or what is in it. */
function folderRefused(error: SandboxFolderError, given: string | undefined, folder: string, marker: string): UsageError {
  const reason = error.reason;
  if ('inUse' in reason)
    return new UsageError(t('ops.sandbox.dirInUse', { given, folder, pid: reason.inUse }), { code: 'SANDBOX_DIR_IN_USE' });
  return new UsageError(
    'distrusted' in reason
      ? t('ops.sandbox.dirNotOnlyYours', {
          given,
          folder,
          distrusted: reason.distrusted.folder,
          uid: reason.distrusted.uid,
          mode: reason.distrusted.mode,
        })
      : 'file' in reason
        ? t('ops.sandbox.dirForeignFile', { given, folder, file: reason.file, marker })
        : t('ops.sandbox.dirHasConfig', { given, folder, file: reason.config }),
    { code: 'INVALID_DIR' },
  );
}

/** `text` as one shell word: as it is when it holds only characters no shell treats specially, else in single quotes. */
function shellWord(text: string): string {
  return /^[A-Za-z0-9_./:@%+=,-]+$/.test(text) ? text : `'${text.replace(/'/g, "'\\''")}'`;
}
