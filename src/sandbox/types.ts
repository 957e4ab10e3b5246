/** The shapes of the sandbox's public API (`wxpay-coupon/sandbox`), re-exported by server.ts. */
import type { FaultName, FaultSpec } from './faults.js';

export type SandboxMode = 'public-key' | 'certificate';

export interface SandboxOptions {
  host?: string;
  port?: number;
  mode?: SandboxMode;
  /** Merchant identity; generated when left out. */
  merchant?: { mchid?: string; serial?: string; privateKeyPem?: string };
  /** WeChat Pay's signing key; generated when left out. */
  wechatpay?: { privateKeyPem?: string; publicKeyId?: string; certificatePem?: string };
  /** How long an issued token lives (seconds). */
  tokenLifetimeSeconds?: number;
  /** Milliseconds since the epoch; injectable so tests can move the sandbox's clock. */
  now?: () => number;
  /** Called after each answer is sent, with what was asked and answered. */
  onRequest?: (record: SandboxRequestRecord) => void;
  /** Faults to inject, first active one first; change them while it runs with setFaults(). */
  faults?: FaultSpec[];
  /** Milliseconds to wait before answering each request (random latency for ordering tests). */
  latencyMs?: () => number;
  /** Keep only the newest this-many request records (a long-running sandbox); default: all. */
  maxRecordedRequests?: number;
  /**
   * Serve HTTPS with a self-signed certificate for localhost and 127.0.0.1, so a client can be
   * tested over real TLS: it trusts the sandbox through NODE_EXTRA_CA_CERTS, never by turning
   * certificate checks off. The certificate is in `tlsCertificatePem`.
   */
  tls?: boolean;
}

export interface SandboxCredentials {
  mode: SandboxMode;
  mchid: string;
  serial: string;
  /** The merchant private key the sandbox expects requests to be signed with. Sandbox-only. */
  privateKeyPem: string;
  publicKeyId?: string;
  publicKeyPem?: string;
  certificatePem?: string;
  certificateSerial?: string;
  /** An APIv3 key, for the certificate download endpoint and notifications. Sandbox-only. */
  apiv3Key: string;
  /** The sandbox's own WeChat Pay signing key (for `notify send`). Sandbox-only. */
  wechatpayPrivateKeyPem: string;
}

export interface SandboxRequestRecord {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  receivedAt: number;
  status: number;
  code?: string;
  requestId: string;
  /** The stock ids as the exact digits the client wrote (P3). */
  stockIds?: string[];
  token?: string;
  /** The answer's body exactly as sent. */
  responseBody?: string;
  /** The fault injected into this answer, if any. */
  fault?: FaultName;
}

export interface Sandbox {
  baseUrl: string;
  /** With `tls`: the server certificate to trust (PEM). */
  tlsCertificatePem?: string;
  mode: SandboxMode;
  credentials: SandboxCredentials;
  /** Every request seen, in arrival order. */
  requests: SandboxRequestRecord[];
  /** The faults still to be injected (counts go down as they happen). */
  readonly faults: readonly FaultSpec[];
  /** Replaces the faults to inject from the next request on. */
  setFaults(faults: FaultSpec[]): void;
  close(): Promise<void>;
}
