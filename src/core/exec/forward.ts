/**
 * Port forwarding to a task, the pure part: the SSM StartSession request `aws ssm start-session
 * --target ecs:<cluster>_<task id>_<runtime id> --document-name ... --parameters ...` sends, the
 * plugin's six arguments as the AWS CLI builds them for it, the caller's IAM needs, the ports to
 * suggest, and the choice of a free local port over an injected probe.
 *
 * Two session documents (AWS-owned, https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager-working-with-sessions-start.html#sessions-remote-port-forwarding):
 * AWS-StartPortForwardingSession forwards to a port of the container (portNumber, localPortNumber);
 * AWS-StartPortForwardingSessionToRemoteHost to a host the task can reach (host, portNumber,
 * localPortNumber). The plugin listens on the local port, on the loopback interface.
 */
import { lastSegment, parseArn } from '../arn';
import { redact } from '../redact';
import { kmsKeyArn } from './permissions';
import { execTarget, pythonJsonDumps } from './plugin';
import type { ExecConfigurationFacts, PermissionNeed } from './types';

export const FORWARD_DOCUMENT = 'AWS-StartPortForwardingSession';
export const FORWARD_REMOTE_HOST_DOCUMENT = 'AWS-StartPortForwardingSessionToRemoteHost';
export type ForwardDocument = typeof FORWARD_DOCUMENT | typeof FORWARD_REMOTE_HOST_DOCUMENT;

export const FORWARD_DOCS_URL = 'https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager-working-with-sessions-start.html#sessions-start-port-forwarding';

export interface ForwardSpec {
  /** The port in the container, or on `host`. */
  port: number;
  /** The port on this machine (the plugin's listener, on loopback). */
  localPort: number;
  /** A host the task can reach (a database endpoint, an internal load balancer); empty: the container itself. */
  host?: string | undefined;
}

/** The session document for a forward: to the container's port, or to a remote host. */
export function forwardDocument(host?: string): ForwardDocument {
  return host?.trim() ? FORWARD_REMOTE_HOST_DOCUMENT : FORWARD_DOCUMENT;
}

/** The document's parameters, as the AWS CLI sends them (each value a one-string list). */
export function forwardParameters(spec: ForwardSpec): Record<string, string[]> {
  const host = spec.host?.trim();
  return host
    ? { host: [host], portNumber: [String(spec.port)], localPortNumber: [String(spec.localPort)] }
    : { portNumber: [String(spec.port)], localPortNumber: [String(spec.localPort)] };
}

/** The StartSession request: Target, DocumentName, Parameters (the order of the API's input shape). */
export interface ForwardRequest {
  Target: string;
  DocumentName: ForwardDocument;
  Parameters: Record<string, string[]>;
}

export function forwardRequest(cluster: string, task: string, runtimeId: string, spec: ForwardSpec): ForwardRequest {
  return { Target: execTarget(cluster, task, runtimeId), DocumentName: forwardDocument(spec.host), Parameters: forwardParameters(spec) };
}

export interface StartSessionFacts {
  SessionId?: string | undefined;
  TokenValue?: string | undefined;
  StreamUrl?: string | undefined;
}

export interface ForwardPluginArgsInput {
  session: StartSessionFacts;
  region: string;
  profile?: string | undefined;
  request: ForwardRequest;
  /** The SSM endpoint URL the StartSession call went to. */
  endpointUrl: string;
}

/**
 * The six arguments `aws ssm start-session` passes the plugin (awscli/customizations/
 * sessionmanager.py): {"SessionId", "TokenValue", "StreamUrl"} as JSON, the Region,
 * "StartSession", the profile or "", the request parameters as JSON, and the SSM endpoint URL.
 * The first holds the session token: never log the vector (describePluginArgs masks it).
 */
export function forwardPluginArgs(i: ForwardPluginArgsInput): string[] {
  const session = { SessionId: i.session.SessionId, TokenValue: i.session.TokenValue, StreamUrl: i.session.StreamUrl };
  return [pythonJsonDumps(session), i.region, 'StartSession', i.profile ?? '', pythonJsonDumps(i.request), i.endpointUrl];
}

/** The equivalent AWS CLI command line (for the log and the README), with real values. */
export function forwardCliCommand(request: ForwardRequest, region: string): string {
  return `aws ssm start-session --region ${region} --target ${request.Target} --document-name ${request.DocumentName} --parameters '${JSON.stringify(request.Parameters)}'`;
}

// ---------------------------------------------------------------------------------------------
// IAM

/** An AWS-owned SSM document's ARN (no account): arn:aws:ssm:REGION::document/NAME. */
export function documentArn(document: string, partition: string, region: string): string {
  return `arn:${partition}:ssm:${region}::document/${document}`;
}

/**
 * What the caller needs to start a port-forwarding session: ssm:StartSession on the task (the
 * target) and on the session document, and kms:GenerateDataKey on the cluster's exec KMS key. ECS
 * ExecuteCommand is not called, so ecs:ExecuteCommand is not needed.
 * https://docs.aws.amazon.com/systems-manager/latest/userguide/getting-started-specify-session-document.html
 */
export function forwardCallerNeeds(taskArn: string, document: string, execConfig: ExecConfigurationFacts | undefined, region: string): PermissionNeed[] {
  const p = parseArn(taskArn);
  const partition = p?.partition || 'aws';
  const where = p?.region || region;
  const needs: PermissionNeed[] = [
    { action: 'ssm:StartSession', resource: taskArn, why: 'to start a port-forwarding session on the task' },
    { action: 'ssm:StartSession', resource: documentArn(document, partition, where), why: `to use the session document ${document}` },
  ];
  if (execConfig?.kmsKeyId) {
    needs.push({
      action: 'kms:GenerateDataKey',
      resource: kmsKeyArn(execConfig.kmsKeyId, partition, where, p?.account ?? ''),
      why: 'the cluster encrypts ECS Exec sessions with this KMS key',
    });
  }
  return needs;
}

// ---------------------------------------------------------------------------------------------
// Ports

/** A TCP port number 1-65535 from text, or an error in words. */
export function parsePort(text: string | undefined, what = 'port'): { port: number } | { error: string } {
  const t = (text ?? '').trim();
  if (!/^\d{1,5}$/.test(t)) return { error: `The ${what} must be a number from 1 to 65535${t ? ` (got "${t.slice(0, 40)}")` : ''}.` };
  const n = Number(t);
  if (n < 1 || n > 65535) return { error: `The ${what} must be from 1 to 65535 (got ${n}).` };
  return { port: n };
}

/** A host name or IP address the task can reach, or an error in words (no URL, no port, no spaces). */
export function checkRemoteHost(text: string): string | undefined {
  const t = text.trim();
  if (!t) return 'Enter a host name or IP address.';
  if (t.length > 253) return 'A host name is at most 253 characters.';
  if (/^[a-z]+:\/\//i.test(t)) return 'Enter the host alone, without a scheme (no http://).';
  if (!/^[A-Za-z0-9.\-]+$|^\[?[0-9A-Fa-f:]+\]?$/.test(t)) return `"${t.slice(0, 60)}" is not a host name or IP address (letters, digits, dots and hyphens).`;
  return undefined;
}

export interface PortSuggestion {
  port: number;
  /** tcp or udp; only tcp can be forwarded. */
  protocol: string;
  /** The port mapping's name and appProtocol (http, http2, grpc), when set. */
  name?: string | undefined;
  appProtocol?: string | undefined;
}

interface PortMappingFacts {
  containerPort?: number | undefined;
  hostPort?: number | undefined;
  protocol?: string | undefined;
  name?: string | undefined;
  appProtocol?: string | undefined;
}
interface ContainerDefinitionPorts {
  name?: string | undefined;
  portMappings?: PortMappingFacts[] | undefined;
}

/** The container's TCP ports from the task definition's portMappings, in their order, without repeats. */
export function suggestPorts(containerDefinitions: readonly ContainerDefinitionPorts[] | undefined, container: string): PortSuggestion[] {
  const def = containerDefinitions?.find((d) => d.name === container);
  const out: PortSuggestion[] = [];
  for (const m of def?.portMappings ?? []) {
    const port = m.containerPort ?? m.hostPort;
    if (!port || port < 1 || port > 65535) continue;
    const protocol = (m.protocol ?? 'tcp').toLowerCase();
    if (protocol !== 'tcp') continue; // Session Manager forwards TCP only
    if (out.some((s) => s.port === port)) continue;
    out.push({ port, protocol, ...(m.name ? { name: m.name } : {}), ...(m.appProtocol ? { appProtocol: m.appProtocol } : {}) });
  }
  return out;
}

const HTTPS_PORTS = new Set([443, 8443, 9443]);
const HTTP_PORTS = new Set([80, 81, 3000, 3001, 4000, 4200, 5000, 5173, 8000, 8008, 8080, 8081, 8088, 8888, 9000, 9090]);

/** "http" or "https" when a forward likely carries a web page (Open in Browser); undefined otherwise. */
export function webScheme(port: number, appProtocol?: string): 'http' | 'https' | undefined {
  const ap = appProtocol?.toLowerCase();
  if (ap === 'http' || ap === 'http2') return HTTPS_PORTS.has(port) ? 'https' : 'http';
  if (ap === 'grpc') return undefined;
  if (HTTPS_PORTS.has(port)) return 'https';
  if (HTTP_PORTS.has(port)) return 'http';
  return undefined;
}

/** The URL of a forward on this machine. */
export function localUrl(scheme: 'http' | 'https', localPort: number): string {
  return `${scheme}://localhost:${localPort}/`;
}

/**
 * Local ports to try, best first: the remote port itself when it is not privileged (a local
 * listener below 1024 needs root on Linux and macOS), then 10000 + the port, then 8000 + the last
 * three digits.
 */
export function localPortCandidates(remotePort: number): number[] {
  const out: number[] = [];
  const add = (p: number) => {
    if (p >= 1024 && p <= 65535 && !out.includes(p)) out.push(p);
  };
  add(remotePort);
  add(10000 + remotePort);
  add(8000 + (remotePort % 1000));
  add(18000 + (remotePort % 1000));
  return out;
}

/**
 * The first candidate `isFree` accepts and no forward of ours holds, else what `anyFree` (the
 * system's choice of a free port) gives.
 */
export async function chooseLocalPort(
  remotePort: number,
  isFree: (port: number) => Promise<boolean>,
  anyFree: () => Promise<number>,
  inUse: readonly number[] = [],
): Promise<number> {
  for (const p of localPortCandidates(remotePort)) {
    if (inUse.includes(p)) continue;
    if (await isFree(p)) return p;
  }
  return anyFree();
}

// ---------------------------------------------------------------------------------------------
// Presenting a forward

export interface ForwardSummary {
  taskArn: string;
  containerName: string;
  port: number;
  localPort: number;
  host?: string | undefined;
}

/** "localhost:18080 → web:8080" or "localhost:15432 → db.internal:5432 (via web)". */
export function describeForward(f: ForwardSummary): string {
  const host = f.host?.trim();
  return host ? `localhost:${f.localPort} → ${host}:${f.port} (via ${f.containerName})` : `localhost:${f.localPort} → ${f.containerName}:${f.port}`;
}

/** "task 2f6a1c9e, cluster prod". */
export function describeForwardTask(taskArn: string, cluster?: string): string {
  const id = lastSegment(taskArn);
  return `task ${id.slice(0, 8)}${cluster ? `, cluster ${lastSegment(cluster)}` : ''}`;
}

/** How long a forward has been open: "12 s", "5 min", "2 h 3 min". */
export function formatAge(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  return `${h} h${m % 60 ? ` ${m % 60} min` : ''}`;
}

/**
 * What the plugin prints once its listener is up (session-manager-plugin's port session:
 * "Port 18080 opened for sessionId ...", then "Waiting for connections..."): the port, or undefined.
 */
export function listeningPort(line: string): number | undefined {
  const m = /\bPort (\d{1,5}) opened for sessionId\b/.exec(line);
  return m ? Number(m[1]) : undefined;
}

/** Plugin output that may be shown or logged: the lines never carry the token, but mask anything token-like. */
export function safePluginLine(line: string): string {
  // eslint-disable-next-line no-control-regex
  return redact(line.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '').replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '')).trimEnd();
}
