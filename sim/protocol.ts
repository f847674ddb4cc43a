// Wire protocols the simulator speaks, and the plug-in contract for a service.
//
// AWS JSON 1.1 (ECS, CloudWatch Logs, ECR, SSM, Secrets Manager): POST /, header
//   X-Amz-Target: <targetPrefix>.<Operation>, body JSON, content-type application/x-amz-json-1.1.
//   Timestamps are epoch seconds (numbers). Errors: HTTP 4xx/5xx, body {"__type": "Name", "message": "..."}.
// awsQuery (ELBv2, IAM, STS): POST /, form-encoded body Action=Op&Version=YYYY-MM-DD&...; lists as
//   Name.member.N; answers XML <OpResponse xmlns=NS><OpResult>...</OpResult><ResponseMetadata>
//   <RequestId/></ResponseMetadata></OpResponse>; lists as <Name><member>..</member></Name>; errors
//   <ErrorResponse><Error><Type>Sender</Type><Code/><Message/></Error><RequestId/></ErrorResponse>.
// ec2Query (EC2): like awsQuery but lists in requests as Name.N, answers <OpResponse xmlns=NS>
//   <requestId/>...fields...</OpResponse> (no Result wrapper, lowerCamel names, lists of <item>),
//   errors <Response><Errors><Error><Code/><Message/></Error></Errors><RequestID/></Response>.
// Timestamps in XML are ISO 8601. (Checked against @aws-sdk/core's AwsJson1_1Protocol,
// AwsQueryProtocol and AwsEc2QueryProtocol.)
import { crc32 } from 'node:zlib';
import type { SimState, Faults, ThrottleLimit } from './types';

export type Protocol = 'json' | 'query' | 'ec2query';

/** What a handler gets. */
export interface OpContext {
  /** JSON body (JSON 1.1), or the query form expanded with {@link expandQuery} (lists become arrays). */
  params: Record<string, any>;
  /** The raw form for query protocols (e.g. "Filter.1.Value.1"); empty for JSON. */
  form: Record<string, string>;
  state: SimState;
  /** Current time, epoch ms (the simulator's clock). */
  now(): number;
  requestId: string;
  operation: string;
  service: SimService;
  /** Deterministic id for new resources: 32 hex characters derived from `seed` and a counter. */
  newId(kind: string): string;
  /**
   * Run after the response has been written (state changes a real service makes asynchronously):
   * with no delay, before the client can make its next call; with one, after that long on the
   * simulator's clock.
   */
  after(fn: () => void, delayMs?: number): void;
  /** Fault settings in force. */
  faults: Faults;
}

export type Handler = (ctx: OpContext) => unknown | Promise<unknown>;

/** One AWS service on the simulator's endpoint. Register it in sim/services/index.ts. */
export interface SimService {
  /** Short name used in the call log and fault rules ("ecs", "logs", "ec2", ...). */
  name: string;
  /** SigV4 signing name from the Authorization header's credential scope ("ecs", "elasticloadbalancing", ...). */
  signingName: string;
  protocol: Protocol;
  /** JSON 1.1: the X-Amz-Target prefix ("AmazonEC2ContainerServiceV20141113"). */
  targetPrefix?: string;
  /** Query: the Version parameter ("2016-11-15"). */
  apiVersion?: string;
  /** Query: the xmlns of responses. */
  xmlNamespace?: string;
  operations: Record<string, Handler>;
  /** Token buckets: group name -> limit, and which group an operation draws from. */
  throttleGroups?: Record<string, ThrottleLimit>;
  throttleGroup?(operation: string): string | undefined;
  /** Errors the fault injector answers with (defaults per protocol, see {@link defaultErrors}). */
  errors?: Partial<ServiceErrors>;
}

export interface ErrorSpec {
  type: string;
  status: number;
  message: string;
}
export interface ServiceErrors {
  throttling: ErrorSpec;
  accessDenied: ErrorSpec;
  server: ErrorSpec;
  unknownOperation: ErrorSpec;
  /** Malformed body / missing parameter. */
  validation: ErrorSpec;
}

export function defaultErrors(protocol: Protocol): ServiceErrors {
  switch (protocol) {
    case 'json':
      return {
        throttling: { type: 'ThrottlingException', status: 400, message: 'Rate exceeded' },
        accessDenied: { type: 'AccessDeniedException', status: 400, message: '' },
        server: { type: 'InternalFailure', status: 500, message: 'We encountered an internal error. Please try again.' },
        unknownOperation: { type: 'UnknownOperationException', status: 400, message: '' },
        validation: { type: 'ValidationException', status: 400, message: '' },
      };
    case 'query':
      return {
        throttling: { type: 'Throttling', status: 400, message: 'Rate exceeded' },
        accessDenied: { type: 'AccessDenied', status: 403, message: '' },
        server: { type: 'InternalFailure', status: 500, message: 'We encountered an internal error. Please try again.' },
        unknownOperation: { type: 'InvalidAction', status: 400, message: '' },
        validation: { type: 'ValidationError', status: 400, message: '' },
      };
    case 'ec2query':
      return {
        throttling: { type: 'RequestLimitExceeded', status: 503, message: 'Request limit exceeded.' },
        accessDenied: { type: 'UnauthorizedOperation', status: 403, message: '' },
        server: { type: 'InternalError', status: 500, message: 'An internal error has occurred' },
        unknownOperation: { type: 'InvalidAction', status: 400, message: '' },
        validation: { type: 'InvalidParameterValue', status: 400, message: '' },
      };
  }
}

/** Throw from a handler to answer an API error. */
export class SimError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

// ---------------------------------------------------------------------------------------------
// JSON 1.1
// ---------------------------------------------------------------------------------------------

export const JSON_CONTENT_TYPE = 'application/x-amz-json-1.1';

/** JSON with Dates as epoch seconds, the JSON 1.1 timestamp format. */
export function toAwsJson(value: unknown): string {
  return JSON.stringify(value, function (this: Record<string, unknown>, key: string, v: unknown) {
    const raw = this[key];
    if (raw instanceof Date) return raw.getTime() / 1000;
    return v;
  });
}

export function jsonError(type: string, message: string): string {
  return JSON.stringify({ __type: type, message });
}

// ---------------------------------------------------------------------------------------------
// Query / XML
// ---------------------------------------------------------------------------------------------

export const XML_CONTENT_TYPE = 'text/xml';

export function parseForm(body: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(body)) out[k] = v;
  return out;
}

/**
 * Nest a query form: "Filter.1.Name=a&Filter.1.Value.1=b" -> { Filter: [{ Name: 'a', Value: ['b'] }] },
 * "Names.member.1=x" -> { Names: ['x'] }, "Attributes.entry.1.key=k&...value=v" -> { Attributes: [{ key, value }] }.
 * Numbered segments (1-based) become array positions; "member" and "entry" segments are dropped.
 */
export function expandQuery(form: Record<string, string>): Record<string, any> {
  const root: Record<string, any> = {};
  for (const [key, value] of Object.entries(form)) {
    if (key === 'Action' || key === 'Version') continue;
    const parts = key.split('.').filter((p) => p !== 'member' && p !== 'entry');
    let node: any = root;
    for (const [i, part] of parts.entries()) {
      const next = parts[i + 1];
      const last = next === undefined;
      const idx = /^\d+$/.test(part) ? Number(part) - 1 : undefined;
      const nextIsIndex = next !== undefined && /^\d+$/.test(next);
      const k: string | number = idx ?? part;
      if (last) {
        node[k] = value;
      } else {
        if (node[k] === undefined) node[k] = nextIsIndex ? [] : {};
        node = node[k];
      }
    }
  }
  return compactArrays(root);
}

function compactArrays(v: any): any {
  if (Array.isArray(v)) return v.filter((x) => x !== undefined).map(compactArrays);
  if (v && typeof v === 'object') {
    for (const k of Object.keys(v)) v[k] = compactArrays(v[k]);
  }
  return v;
}

export function escapeXml(s: string): string {
  return s.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);
}

/**
 * Serialise a value as XML elements. Object keys are element names as written (use the wire names:
 * PascalCase for awsQuery, lowerCamel for EC2). Arrays become <name><listItem>..</listItem>...</name>
 * ("member" for awsQuery, "item" for EC2). Dates are ISO 8601; null/undefined are omitted.
 */
export function toXml(name: string, value: unknown, listItem: string): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) {
    return `<${name}>${value.map((v) => toXml(listItem, v, listItem)).join('')}</${name}>`;
  }
  if (value instanceof Date) return `<${name}>${value.toISOString()}</${name}>`;
  if (typeof value === 'object') {
    let inner = '';
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) inner += toXml(k, v, listItem);
    return `<${name}>${inner}</${name}>`;
  }
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

function fields(value: unknown, listItem: string): string {
  if (!value || typeof value !== 'object') return '';
  let inner = '';
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) inner += toXml(k, v, listItem);
  return inner;
}

export function querySuccess(service: SimService, operation: string, result: unknown, requestId: string): string {
  const ns = service.xmlNamespace ? ` xmlns="${service.xmlNamespace}"` : '';
  if (service.protocol === 'ec2query') {
    return `<?xml version="1.0" encoding="UTF-8"?>\n<${operation}Response${ns}><requestId>${requestId}</requestId>${fields(result, 'item')}</${operation}Response>`;
  }
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<${operation}Response${ns}>` +
    `<${operation}Result>${fields(result, 'member')}</${operation}Result>` +
    `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${operation}Response>`
  );
}

export function queryError(protocol: Protocol, type: string, message: string, requestId: string, status: number, ns?: string): string {
  if (protocol === 'ec2query') {
    return `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${escapeXml(type)}</Code><Message>${escapeXml(message)}</Message></Error></Errors><RequestID>${requestId}</RequestID></Response>`;
  }
  const xmlns = ns ? ` xmlns="${ns}"` : '';
  const fault = status >= 500 ? 'Receiver' : 'Sender';
  return `<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse${xmlns}><Error><Type>${fault}</Type><Code>${escapeXml(type)}</Code><Message>${escapeXml(message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
}

// ---------------------------------------------------------------------------------------------
// Shared helpers for handlers
// ---------------------------------------------------------------------------------------------

/** Opaque page token: base64 of the offset and a fingerprint of the request's filters. */
export function paginate<T>(
  items: readonly T[],
  opts: { maxResults?: unknown; nextToken?: unknown; defaultSize: number; maxSize: number; filterKey: string; validation?: string },
): { page: T[]; nextToken?: string } {
  const invalid = opts.validation ?? 'InvalidParameterException';
  let size = opts.defaultSize;
  if (opts.maxResults !== undefined && opts.maxResults !== null) {
    const n = Number(opts.maxResults);
    if (!Number.isInteger(n) || n < 1 || n > opts.maxSize) {
      throw new SimError(invalid, `maxResults must be between 1 and ${opts.maxSize}.`);
    }
    size = n;
  }
  let start = 0;
  if (opts.nextToken !== undefined && opts.nextToken !== null && opts.nextToken !== '') {
    const decoded = decodeToken(String(opts.nextToken));
    if (!decoded || decoded.f !== fingerprint(opts.filterKey)) throw new SimError(invalid, 'Invalid nextToken.');
    start = decoded.o;
  }
  const page = items.slice(start, start + size);
  const next = start + size < items.length ? encodeToken(start + size, opts.filterKey) : undefined;
  return next ? { page, nextToken: next } : { page };
}

function encodeToken(offset: number, filterKey: string): string {
  return Buffer.from(JSON.stringify({ v: 1, o: offset, f: fingerprint(filterKey) })).toString('base64');
}

function decodeToken(token: string): { o: number; f: string } | undefined {
  try {
    const v = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { v?: number; o?: unknown; f?: unknown };
    if (v.v !== 1 || typeof v.o !== 'number' || !Number.isInteger(v.o) || v.o < 0 || typeof v.f !== 'string') return undefined;
    return { o: v.o, f: v.f };
  } catch {
    return undefined;
  }
}

/** FNV-1a, 32 bits, as 8 hex characters. */
export function fingerprint(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

/** Deterministic hex string of `len` characters derived from `seed`. */
export function hexId(seed: string, len = 32): string {
  let out = '';
  let i = 0;
  while (out.length < len) out += fingerprint(`${i++}:${seed}`);
  return out.slice(0, len);
}

/** Deterministic decimal string of `len` digits derived from `seed` (ECS deployment ids). */
export function digitsId(seed: string, len = 19): string {
  let out = '';
  let i = 0;
  while (out.length < len) out += String(parseInt(fingerprint(`${i++}#${seed}`), 16) % 100000000).padStart(8, '0');
  return (out.startsWith('0') ? '1' + out.slice(1) : out).slice(0, len);
}

/** A UUID-shaped deterministic id. */
export function uuidId(seed: string): string {
  const h = hexId(seed, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

// ---------------------------------------------------------------------------------------------
// Event streams (CloudWatch Logs StartLiveTail): the answer is HTTP/1.1 200 with content-type
// application/vnd.amazon.eventstream and a body of binary messages, each
//   total length (4) | headers length (4) | prelude CRC32 (4) | headers | payload | message CRC32 (4)
// with string headers (type 7) :message-type (event | exception), :event-type or :exception-type,
// and :content-type. The SDK (@smithy/core event-streams over NodeHttpHandler) reads them as they
// arrive; no HTTP/2 is needed.


export const EVENT_STREAM_CONTENT_TYPE = 'application/vnd.amazon.eventstream';

/** One event-stream message with string headers. */
export function encodeEventStreamMessage(headers: Record<string, string>, payload: string): Buffer {
  const hs = Object.entries(headers).map(([name, value]) => {
    const n = Buffer.from(name, 'utf8');
    const v = Buffer.from(value, 'utf8');
    const b = Buffer.alloc(1 + n.length + 1 + 2 + v.length);
    let o = b.writeUInt8(n.length, 0);
    o += n.copy(b, o);
    o = b.writeUInt8(7, o);
    o = b.writeUInt16BE(v.length, o);
    v.copy(b, o);
    return b;
  });
  const h = Buffer.concat(hs);
  const p = Buffer.from(payload, 'utf8');
  const prelude = Buffer.alloc(12);
  prelude.writeUInt32BE(12 + h.length + p.length + 4, 0);
  prelude.writeUInt32BE(h.length, 4);
  prelude.writeUInt32BE(crc32(prelude.subarray(0, 8)), 8);
  const body = Buffer.concat([prelude, h, p]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body), 0);
  return Buffer.concat([body, crc]);
}

/** What a streaming handler writes with. Timers run on the simulator's clock and end with the stream. */
export interface EventStreamIO {
  event(eventType: string, payload: unknown): void;
  /** A modeled error inside the stream (SessionTimeoutException, ...); ends it. */
  exception(exceptionType: string, message: string): void;
  end(): void;
  /** fn every ms on the simulator's clock until the stream ends. */
  every(ms: number, fn: () => void): void;
  onClose(fn: () => void): void;
  readonly closed: boolean;
}

/** Return one from a handler to answer with an event stream; `start` runs once the 200 is written. */
export class EventStreamAnswer {
  constructor(readonly start: (io: EventStreamIO) => void) {}
}
