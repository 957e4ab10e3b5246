/**
 * A local emulator of WeChat Pay's token pre-order endpoint, written from docs/protocol.md.
 * This file is the HTTP plumbing: listening (plain HTTP, or TLS with `tls`), reading a request,
 * routing it, the request log, close(). What it checks is in checks.ts (P2, P8–P11, P3–P4), what
 * it answers and how answers are signed in answers.ts (P7, P18, P13–P15, P17), the faults it
 * injects in faults.ts, its keys in identity.ts. Loopback by default: it is a test double, not a
 * service.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createPublicKey, randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { TOKEN_PATH } from '../client.js';
import { CERTIFICATES_PATH } from '../certificates.js';
import { createSelfSignedCertificate } from './x509.js';
import { faultBehaviour, takeFault, type AnswerDraft, type FaultBehaviour, type FaultContext, type FaultSpec } from './faults.js';
import {
  certificatesAnswer,
  errorAnswer,
  formatChinaTime,
  newToken,
  notFoundAnswer,
  signatureHeaders,
  tokenAnswer,
  type Answer,
  type AnswerSigner,
} from './answers.js';
import { NonceMemory, authenticate, checkTokenBody, type RequestExpectations, type SandboxRequest } from './checks.js';
import { createIdentity, newRsaKey, pemOf, type SandboxIdentity } from './identity.js';
import type { Sandbox, SandboxOptions, SandboxRequestRecord } from './types.js';

export { SANDBOX_MESSAGES, formatChinaTime } from './answers.js';
export type { Sandbox, SandboxCredentials, SandboxMode, SandboxOptions, SandboxRequestRecord } from './types.js';

const MAX_REQUEST_BYTES = 64 * 1024;

/** What one running sandbox holds; the functions below take it. */
interface SandboxState {
  options: SandboxOptions;
  now: () => number;
  lifetimeSeconds: number;
  identity: SandboxIdentity;
  expectations: RequestExpectations;
  signer: AnswerSigner;
  nonces: NonceMemory;
  requests: SandboxRequestRecord[];
  faults: FaultSpec[];
  faultContext: FaultContext;
}

async function createState(options: SandboxOptions): Promise<SandboxState> {
  const now = options.now ?? Date.now;
  const lifetimeSeconds = options.tokenLifetimeSeconds ?? 2 * 60 * 60;
  const identity = await createIdentity(options);
  const { credentials, signingSerial } = identity;
  const signer: AnswerSigner = { privateKey: identity.wechatpayPrivateKey, serial: signingSerial, now };
  return {
    options,
    now,
    lifetimeSeconds,
    identity,
    expectations: {
      mchid: credentials.mchid,
      merchantSerial: credentials.serial,
      merchantPublicKey: identity.merchantPublicKey,
      signingSerial,
    },
    signer,
    nonces: new NonceMemory(),
    requests: [],
    faults: (options.faults ?? []).map((fault) => ({ ...fault })),
    faultContext: {
      randomBytes,
      sign: (body, ageSeconds) => signatureHeaders(signer, body, ageSeconds),
      errorAnswer,
      expiresTime: () => formatChinaTime(now() + lifetimeSeconds * 1000),
    },
  };
}

/** Adds the request to `sandbox.requests` (keeping at most `maxRecordedRequests`). */
function recordRequest(state: SandboxState, request: IncomingMessage, body: string): SandboxRequestRecord {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  const record: SandboxRequestRecord = {
    method: request.method ?? '',
    path: request.url ?? '/',
    headers,
    body,
    receivedAt: state.now(),
    status: 0,
    requestId: randomBytes(16).toString('hex').toUpperCase(),
  };
  const { requests } = state;
  requests.push(record);
  const max = state.options.maxRecordedRequests;
  if (max !== undefined && requests.length > max) requests.splice(0, requests.length - max);
  return record;
}

function answerToken(state: SandboxState, request: SandboxRequest, record: SandboxRequestRecord): Answer {
  const checked = checkTokenBody(request);
  if (checked.stockIds) record.stockIds = checked.stockIds;
  if (checked.refused) return checked.refused;
  const token = newToken();
  record.token = token;
  return tokenAnswer(token, state.now() + state.lifetimeSeconds * 1000);
}

/**
 * Like WeChat Pay: the request is authenticated first, whatever it asks for, so a bad signature
 * is 401 even for a path that does not exist; only then is it routed.
 */
function route(state: SandboxState, request: SandboxRequest, record: SandboxRequestRecord): Answer {
  const refused = authenticate(request, state.expectations, state.nonces, state.now());
  if (refused) return refused;
  const resource = request.path.split('?')[0];
  if (resource === TOKEN_PATH && request.method === 'POST') return answerToken(state, request, record);
  if (resource === CERTIFICATES_PATH && request.method === 'GET') return certificatesAnswer(state.identity.credentials);
  return notFoundAnswer();
}

/**
 * The status, body and headers to write: a 2xx is reshaped and signed, a signed error answer
 * (P27) only signed (by the fault, if it has a say).
 */
function outgoing(state: SandboxState, answer: Answer, behaviour: FaultBehaviour, record: SandboxRequestRecord): Answer {
  if (!answer.sign) return answer;
  let draft: AnswerDraft = { answer, token: record.token };
  if (behaviour.reshape && answer.status >= 200 && answer.status <= 299) {
    draft = behaviour.reshape(draft, state.faultContext);
    if (draft.token !== undefined) record.token = draft.token;
  }
  const { body } = draft.answer;
  const signed = behaviour.sign ? behaviour.sign(body, state.faultContext) : { body, headers: signatureHeaders(state.signer, body) };
  return { ...draft.answer, body: signed.body, headers: { ...signed.headers, ...draft.answer.headers } };
}

function handle(state: SandboxState, request: IncomingMessage, response: ServerResponse, body: string): void {
  const record = recordRequest(state, request, body);
  const fault = takeFault(state.faults);
  if (fault) record.fault = fault;
  const behaviour: FaultBehaviour = fault ? faultBehaviour(fault) : {};
  const baseHeaders: Record<string, string> = {
    'Content-Type': 'application/json; charset=utf-8',
    'Request-ID': record.requestId,
    Date: new Date(state.now()).toUTCString(),
  };
  if (behaviour.takeOver) {
    const status = behaviour.takeOver(response, baseHeaders);
    if (status !== undefined) record.status = status;
  } else {
    const parsed: SandboxRequest = { method: record.method, path: record.path, headers: request.headers, body };
    const answer = outgoing(state, behaviour.replace?.(state.faultContext) ?? route(state, parsed, record), behaviour, record);
    record.status = answer.status;
    record.responseBody = answer.body;
    if (answer.code !== undefined) record.code = answer.code;
    response.writeHead(answer.status, { ...baseHeaders, ...answer.headers });
    if (behaviour.deliver) behaviour.deliver(response, answer.body);
    else response.end(answer.body);
  }
  state.options.onRequest?.(record);
}

/** Reads the body (at most 64 KiB, else 413), waits the injected latency, then handles the request. */
function listenerFor(state: SandboxState): (request: IncomingMessage, response: ServerResponse) => void {
  return (request, response) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_REQUEST_BYTES) {
        response.writeHead(413).end();
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => {
      if (size > MAX_REQUEST_BYTES) return;
      const body = Buffer.concat(chunks).toString('utf8');
      const delay = state.options.latencyMs?.() ?? 0;
      if (delay > 0) {
        setTimeout(() => {
          handle(state, request, response, body);
        }, delay);
      } else handle(state, request, response, body);
    });
  };
}

/** Plain HTTP, or HTTPS with a fresh self-signed certificate for localhost and 127.0.0.1. */
async function createHttpServer(
  tls: boolean,
  listener: (request: IncomingMessage, response: ServerResponse) => void,
): Promise<{ server: Server; tlsCertificatePem?: string }> {
  if (!tls) return { server: createServer(listener) };
  const { createServer: createHttpsServer } = await import('node:https');
  const tlsKey = (await newRsaKey()).privateKey;
  const tlsCertificatePem = createSelfSignedCertificate({
    publicKey: createPublicKey(tlsKey),
    privateKey: tlsKey,
    commonName: 'localhost',
    altNames: { dns: ['localhost'], ip: ['127.0.0.1'] },
  }).pem;
  return { server: createHttpsServer({ key: pemOf(tlsKey), cert: tlsCertificatePem }, listener), tlsCertificatePem };
}

async function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server.address() as AddressInfo;
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const state = await createState(options);
  const { server, tlsCertificatePem } = await createHttpServer(options.tls === true, listenerFor(state));
  // The sandbox answers quickly; keep its keep-alive like WeChat Pay's (8 s, P20).
  server.keepAliveTimeout = 8_000;
  const address = await listen(server, options.port ?? 0, options.host ?? '127.0.0.1');
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  return {
    baseUrl: `${options.tls ? 'https' : 'http'}://${host}:${String(address.port)}`,
    ...(tlsCertificatePem ? { tlsCertificatePem } : {}),
    mode: state.identity.credentials.mode,
    credentials: state.identity.credentials,
    requests: state.requests,
    get faults() {
      return state.faults;
    },
    setFaults: (next) => {
      state.faults = next.map((fault) => ({ ...fault }));
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}
