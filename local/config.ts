// Settings of the local stack, from the environment with the contract's defaults
// (README.md "Quick start" and "Configuration").
import path from "node:path";
import { normalizePublicBaseUrl } from "../shared/public-urls.ts";
import { localSecret } from "./secrets.ts";

export interface StackConfig {
  root: string;
  dataDir: string;
  edgePort: number;
  originPort: number;
  libsqlPort: number;
  adminToken: string;
  publicBaseUrl: string;
  edgeUrl: string;
  originUrl: string;
  libsqlUrl: string;
  databaseFile: string;
  /** Local stand-in for the production secret; generated once per data folder (see local/secrets.ts). */
  keyEncryptionSecret: string;
  /** Bearer token of the local libSQL server (the origin's LIBSQL_AUTH_TOKEN); made once per data folder. */
  libsqlAuthToken: string;
  /** The local mail outbox server (local/mail-outbox): port, URL, the folder its .eml files go to, and its bearer token. */
  mailOutboxPort: number;
  mailOutboxUrl: string;
  mailDir: string;
  mailOutboxToken: string;
  /** The local OTLP receiver (local/otlp-receiver): port, URL, the folder its span files go to, its bearer token; off with LOCAL_TRACING=off. */
  otlpReceiverPort: number;
  otlpReceiverUrl: string;
  tracesDir: string;
  otlpReceiverToken: string;
  localTracing: boolean;
}

function port(name: string, fallback: number, env: NodeJS.ProcessEnv): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 65535) throw new Error(`${name} must be a port number (1-65535), got "${raw}"`);
  return value;
}

/** PUBLIC_BASE_URL as the Workers will read it (shared/public-urls.ts); a bad one stops the launcher, named. */
function publicBaseUrl(raw: string): string {
  try {
    return normalizePublicBaseUrl(raw);
  } catch (error) {
    throw new Error(`PUBLIC_BASE_URL ${error instanceof Error ? error.message : "is malformed"}`);
  }
}

/** Reads the stack's settings; `root` is the repository folder. */
export function readStackConfig(root: string, env: NodeJS.ProcessEnv = process.env): StackConfig {
  const dataDir = path.resolve(root, env.LAUREL_DATA_DIR || ".data");
  const edgePort = port("EDGE_PORT", 8787, env);
  const originPort = port("ORIGIN_PORT", 8788, env);
  const libsqlPort = port("LIBSQL_PORT", 8080, env);
  const edgeUrl = `http://127.0.0.1:${edgePort}`;
  return {
    root,
    dataDir,
    edgePort,
    originPort,
    libsqlPort,
    adminToken: env.ADMIN_TOKEN || "laurel-dev-admin",
    publicBaseUrl: publicBaseUrl(env.PUBLIC_BASE_URL || edgeUrl),
    edgeUrl,
    originUrl: `http://127.0.0.1:${originPort}`,
    libsqlUrl: `http://127.0.0.1:${libsqlPort}`,
    databaseFile: path.join(dataDir, "laurel.db"),
    keyEncryptionSecret: env.KEY_ENCRYPTION_SECRET || localSecret(dataDir, "keyEncryptionSecret"),
    libsqlAuthToken: env.LIBSQL_AUTH_TOKEN || localSecret(dataDir, "libsqlAuthToken"),
    mailOutboxPort: port("MAIL_OUTBOX_PORT", 8025, env),
    mailOutboxUrl: `http://127.0.0.1:${port("MAIL_OUTBOX_PORT", 8025, env)}`,
    mailDir: path.join(dataDir, "mail"),
    mailOutboxToken: localSecret(dataDir, "mailOutboxToken"),
    otlpReceiverPort: port("OTLP_RECEIVER_PORT", 4318, env),
    otlpReceiverUrl: `http://127.0.0.1:${port("OTLP_RECEIVER_PORT", 4318, env)}`,
    tracesDir: path.join(dataDir, "traces"),
    otlpReceiverToken: localSecret(dataDir, "otlpReceiverToken"),
    localTracing: env.LOCAL_TRACING !== "off",
  };
}
