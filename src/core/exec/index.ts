/**
 * ECS Exec, the pure part: the preflight checks (in the order the public ECS Exec checker runs
 * them) over facts the AWS layer fetched, the IAM permissions each side needs, the
 * session-manager-plugin argument vector the AWS CLI passes, and plugin discovery over an
 * injected view of the filesystem. No `vscode`, no SDK, no fs or net: both faces and the tests
 * call the same functions. ARNs are read with ../arn.
 */
export * from './types';
export { chooseContainer, compareVersions, isWindowsFamily, launchTypeOf, serviceOfTask } from './task';
export { callerNeeds, kmsKeyArn, policySourceFor, taskRoleNeeds } from './permissions';
export { blockingChecks, runExecChecks } from './checks';
export { STATUS_ICON, STATUS_LABEL, formatChecksText, preflightDetail, redeployConfirmation, summarizeChecks } from './present';
export {
  FIRST_PLUGIN_VERSION_WITH_ENV_VAR,
  LAST_PLUGIN_VERSION_WITHOUT_ENV_VAR,
  PLUGIN_NAME,
  START_SESSION_RESPONSE_ENV,
  describePluginArgs,
  execTarget,
  findPlugin,
  pluginArgs,
  pluginCandidates,
  pluginLaunch,
  pluginReadsResponseFromEnv,
  pythonJsonDumps,
} from './plugin';
export type { ExecSessionFacts, PluginArgsInput, PluginFsView, PluginLaunch } from './plugin';
export {
  FORWARD_DOCS_URL,
  FORWARD_DOCUMENT,
  FORWARD_REMOTE_HOST_DOCUMENT,
  checkRemoteHost,
  chooseLocalPort,
  describeForward,
  describeForwardTask,
  documentArn,
  formatAge,
  forwardCallerNeeds,
  forwardCliCommand,
  forwardDocument,
  forwardParameters,
  forwardPluginArgs,
  forwardRequest,
  listeningPort,
  localPortCandidates,
  localUrl,
  parsePort,
  safePluginLine,
  suggestPorts,
  webScheme,
} from './forward';
export type { ForwardDocument, ForwardPluginArgsInput, ForwardRequest, ForwardSpec, ForwardSummary, PortSuggestion, StartSessionFacts } from './forward';
