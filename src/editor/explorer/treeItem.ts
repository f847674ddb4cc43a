import * as vscode from 'vscode';
import type { ExplorerNode } from '../../core/explorer/nodes';
import { present, type Presentation } from '../../core/explorer/present';

const COLLAPSIBLE: Record<Presentation['collapsible'], vscode.TreeItemCollapsibleState> = {
  none: vscode.TreeItemCollapsibleState.None,
  collapsed: vscode.TreeItemCollapsibleState.Collapsed,
  expanded: vscode.TreeItemCollapsibleState.Expanded,
};

/**
 * A node's TreeItem: the presentation from core/explorer/present.ts (one function per node kind,
 * pure so the unit tests and the change detection share it) turned into VS Code types. The id is
 * the node's stable id, so expansion state survives refreshes.
 */
export function treeItem(node: ExplorerNode): vscode.TreeItem {
  const p = present(node);
  const item = new vscode.TreeItem(p.label, COLLAPSIBLE[p.collapsible]);
  item.id = node.id;
  if (p.description !== undefined) item.description = p.description;
  item.iconPath = p.icon.color ? new vscode.ThemeIcon(p.icon.id, new vscode.ThemeColor(p.icon.color)) : new vscode.ThemeIcon(p.icon.id);
  if (p.tooltip) {
    // Names are escaped in present(); no command links, HTML or theme icons in tooltips.
    const md = new vscode.MarkdownString(p.tooltip);
    md.isTrusted = false;
    md.supportHtml = false;
    md.supportThemeIcons = false;
    item.tooltip = md;
  }
  item.contextValue = p.contextValue;
  if (p.command) item.command = { command: p.command.id, title: p.command.title, arguments: [node] };
  item.accessibilityInformation = { label: [p.label, p.description].filter(Boolean).join(', ') };
  return item;
}
