import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';

/**
 * HTTP plumbing for the demo marketplace: the error envelope, JSON replies and bounded body
 * reading. Every error leaves as `{ "error": { "code", "message", ...details } }`.
 */

export type ErrorDetails = Readonly<Record<string, unknown>>;

/** An error answer with a stable code and a sentence for a person. */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetails = {},
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }

  body(): { error: Record<string, unknown> } {
    return { error: { code: this.code, message: this.message, ...this.details } };
  }
}

/** What a route handler answers. */
export type Reply =
  | {
      readonly status: number;
      readonly json: unknown;
      readonly headers?: Readonly<Record<string, string>>;
    }
  | {
      readonly status: number;
      readonly bytes: Buffer;
      readonly contentType: string;
      readonly headers?: Readonly<Record<string, string>>;
    };

export function jsonReply(status: number, json: unknown, headers?: Record<string, string>): Reply {
  return headers === undefined ? { status, json } : { status, json, headers };
}

export function errorReply(error: HttpError): Reply {
  return { status: error.status, json: error.body(), headers: error.headers };
}

export function sendReply(response: ServerResponse, reply: Reply): void {
  const headers: Record<string, string | number> = { 'Cache-Control': 'no-store', ...reply.headers };
  let payload: Buffer;
  if ('json' in reply) {
    payload = Buffer.from(JSON.stringify(reply.json), 'utf8');
    headers['Content-Type'] = 'application/json; charset=utf-8';
  } else {
    payload = reply.bytes;
    headers['Content-Type'] = reply.contentType;
  }
  headers['Content-Length'] = payload.length;
  response.writeHead(reply.status, headers);
  response.end(payload);
}

export const MAX_BODY_BYTES = 1024 * 1024;

/** Reads the whole body as UTF-8, refusing more than `MAX_BODY_BYTES`. */
export function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    request.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        failed = true;
        reject(
          new HttpError(413, 'payload_too_large', `The request body is larger than ${MAX_BODY_BYTES} bytes.`),
        );
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => {
      if (!failed) resolve(Buffer.concat(chunks).toString('utf8'));
    });
    request.on('error', (error) => {
      if (!failed) reject(error);
    });
  });
}

/** Parses a JSON body; empty bodies read as `{}`. */
export function parseJsonBody(text: string): unknown {
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HttpError(400, 'bad_request', 'The request body is not valid JSON.', { field: null });
  }
}

/** "amount.amountMinor", "(body)" for the root. */
export function issuePath(path: readonly PropertyKey[]): string {
  return path.length === 0 ? '(body)' : path.map((part) => String(part)).join('.');
}

/**
 * Validates with a zod schema; the 400 names the first failing field in its sentence and lists
 * every issue in `issues`.
 */
export function validate<S extends z.ZodType>(schema: S, input: unknown, where: string): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => {
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
    const field =
      keys.length > 0 ? issuePath([...issue.path, keys[0] as string]) : issuePath(issue.path);
    return { field, message: issue.message };
  });
  const first = issues[0] ?? { field: '(body)', message: 'is invalid' };
  throw new HttpError(400, 'bad_request', `Invalid ${where} field "${first.field}": ${first.message}.`, {
    field: first.field,
    issues,
  });
}
