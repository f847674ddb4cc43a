// The diagnosis report view: used by "Diagnose Stopped Task" (live) and "Explain Stop Reason..." (offline).
export { showDiagnosisReport, ReportPanel, REPORT_VIEW_TYPE } from './panel';
export type { ReportModel } from './html';
