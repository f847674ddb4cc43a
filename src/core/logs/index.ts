// Reading a task's container logs: which stream holds what (resolve.ts), where the lines go when
// not to awslogs and why a stream is missing (where.ts), log text shown as text (text.ts), and the
// document's text (document.ts). Pure: the CLI and the editor say the same thing.
export * from './types';
export { resolveLogSources, type Resolved, type ResolveOptions } from './resolve';
export { explainMissing, whereLogsGo, type MissingFacts } from './where';
export { formatJsonLine, formatLine, formatTimestamp, mergeByTime, parseSince, sanitizeMessage } from './text';
export { OLDER_MARKER, renderLogDocument, stoppedStatus, type LogDocumentState, type RenderedLogDocument } from './document';
