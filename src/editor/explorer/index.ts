/**
 * The ECS Doctor explorer: registers the tree view, its commands, the profile/Region status bar
 * item, welcome states and the automatic refresh. The tree state lives in the vscode-free
 * ExplorerModel (src/core/explorer/model.ts); this file only wires it to VS Code.
 */
import * as vscode from 'vscode';
import { loadAws } from '../../awsLoader';
import { ECS_REGIONS, isRegionName } from '../../core/awsProfiles';
import { classifyAwsError } from '../../core/awsErrors';
import { arnOf, consoleUrl } from '../../core/explorer/links';
import { ExplorerModel } from '../../core/explorer/model';
import type { ExplorerNode, Scope } from '../../core/explorer/nodes';
import { IntervalTrigger } from '../../core/refresh';
import type { Ctx } from '../context';
import { ExplorerProvider } from './provider';
import { awsFiles, readProfiles } from './profiles';
import { TaskDefinitionDocuments, familyRevision } from './taskDefinitionDocument';

export const VIEW_ID = 'ecsDoctor.explorer';
const WELCOME_KEY = 'ecsDoctor.explorer.welcome';

/** What the integration tests reach through the internal command `ecsDoctor.internal.explorer`. */
export interface ExplorerHandle {
  provider: ExplorerProvider;
  treeView: vscode.TreeView<ExplorerNode>;
  model(): Promise<ExplorerModel | undefined>;
}

export function register(ctx: Ctx): void {
  let profileLabel = 'default';
  let regionLabel = '';
  const statusBar = vscode.window.createStatusBarItem('ecsDoctor.profile', vscode.StatusBarAlignment.Left, 10);
  statusBar.name = 'ECS Doctor: AWS profile and Region';
  statusBar.command = 'ecsDoctor.selectProfile';

  const provider = new ExplorerProvider((state, message) => {
    void vscode.commands.executeCommand('setContext', WELCOME_KEY, state ?? '');
    treeView.message = state ? message : undefined;
  });
  const treeView = vscode.window.createTreeView(VIEW_ID, { treeDataProvider: provider, showCollapseAll: true });
  // Every session (the shared one and each extra Region's) belongs to ctx.
  ctx.push(provider, treeView, statusBar);

  const showLabels = () => {
    const text = `${profileLabel}${regionLabel ? ` · ${regionLabel}` : ''}`;
    treeView.description = text;
    statusBar.text = `$(cloud) ${text}`;
    statusBar.tooltip = `ECS Doctor: profile ${profileLabel}${regionLabel ? `, Region ${regionLabel}` : ''}${ctx.config.settings.endpoint ? `, endpoint ${ctx.config.settings.endpoint}` : ''}. Click to change the profile.`;
  };

  /** Builds the model for the current settings (loads the AWS SDK on first use, never at activation). */
  async function buildModel(): Promise<ExplorerModel | undefined> {
    const aws = await loadAws();
    const s = ctx.config.settings;
    const profile = s.profile || process.env.AWS_PROFILE || undefined;
    profileLabel = profile ?? 'default';
    const shared = await ctx.session();
    const wanted = s.regions.length ? s.regions : [s.region];
    const scopes: Scope[] = [];
    let regionError: unknown;
    for (const r of wanted) {
      // Extra Regions' sessions are ctx's too (ctx.sessionFor), shared with commands on their nodes.
      const session = !r || r === s.region ? shared : await ctx.sessionFor({ region: r });
      let region: string;
      try {
        region = await session.region();
      } catch (err) {
        regionError = err;
        continue;
      }
      if (scopes.some((x) => x.region === region)) continue;
      scopes.push({ id: `${profileLabel}@${region}`, profile, region, source: aws.ecsDataFor(session, { logger: ctx.log, region }) });
    }
    regionLabel = scopes.map((x) => x.region).join(', ');
    showLabels();
    if (!scopes.length) {
      const c = classifyAwsError(regionError ?? new Error('No AWS Region is set'), { profile });
      void vscode.commands.executeCommand('setContext', WELCOME_KEY, c.kind === 'region-missing' ? 'noRegion' : 'noCredentials');
      treeView.message = c.message;
      return undefined;
    }
    treeView.message = undefined;
    void vscode.commands.executeCommand('setContext', WELCOME_KEY, '');
    ctx.log.info(`Explorer: profile ${profileLabel}, Region${scopes.length > 1 ? 's' : ''} ${regionLabel}${s.endpoint ? `, endpoint ${s.endpoint}` : ''}`);
    // The visible services' health and recent trouble are read in the background, a few at a time.
    return new ExplorerModel({ scopes, profile: profileLabel, endpoint: s.endpoint || undefined, logger: ctx.log, background: { maxServices: 40, concurrency: 2 } });
  }

  let built = false;
  const rebuild = () => {
    built = true;
    provider.setModel(
      buildModel().catch((err: unknown) => {
        ctx.log.error(err instanceof Error ? err : String(err));
        treeView.message = `Could not start the explorer: ${classifyAwsError(err).message}`;
        return undefined;
      }),
    );
  };
  // Nothing loads until the view is shown (activation stays fast).
  const ensure = () => {
    if (!built && treeView.visible) rebuild();
  };

  const auto = new IntervalTrigger(async () => {
    const m = await provider.current();
    await m?.refresh();
  }, ctx.config.settings.refreshInterval * 1000);
  ctx.push({ dispose: () => auto.dispose() });
  const onVisible = () => {
    ensure();
    auto.setEnabled(treeView.visible);
    if (treeView.visible) statusBar.show();
    else statusBar.hide();
  };
  ctx.push(treeView.onDidChangeVisibility(onVisible));
  onVisible();

  ctx.push(
    ctx.onDidChangeSession(() => {
      if (built) rebuild();
    }),
    ctx.config.onDidChange(({ changed }) => {
      if (changed.includes('refreshInterval')) auto.setInterval(ctx.config.settings.refreshInterval * 1000);
      if (changed.includes('regions') && built) rebuild();
    }),
  );

  const cmd = (id: string, fn: (...args: any[]) => unknown) => ctx.push(vscode.commands.registerCommand(id, fn));
  const taskDefinitions = new TaskDefinitionDocuments();
  ctx.push(taskDefinitions);

  cmd('ecsDoctor.refresh', async () => {
    if (!built) return rebuild();
    const m = await provider.current();
    if (!m) return rebuild();
    await vscode.window.withProgress({ location: { viewId: VIEW_ID } }, () => m.refresh().catch(() => undefined));
  });
  cmd('ecsDoctor.refreshNode', async (node?: ExplorerNode) => {
    const m = await provider.current();
    if (!m) return rebuild();
    if (!node) return m.refresh();
    await vscode.window.withProgress({ location: { viewId: VIEW_ID } }, () => m.reload(node).catch(() => undefined));
  });
  cmd('ecsDoctor.selectProfile', async () => {
    const profiles = await readProfiles();
    const current = ctx.config.settings.profile;
    const items: (vscode.QuickPickItem & { value: string })[] = [
      { label: '$(circle-slash) Use the environment', description: 'AWS_PROFILE, then default', value: '', picked: !current },
      ...profiles.map((p) => ({
        label: p.name,
        description: [p.kind !== 'unknown' ? p.kind : undefined, p.region, p.endpointUrl ? `endpoint ${p.endpointUrl}` : undefined].filter(Boolean).join(' · '),
        value: p.name,
        picked: p.name === current,
      })),
    ];
    if (!profiles.length) items.push({ label: '$(gear) Open ~/.aws/config', description: 'no profiles found', value: '\u0000open' });
    const pick = await vscode.window.showQuickPick(items, { title: 'ECS Doctor: AWS profile', placeHolder: `Current: ${profileLabel}` });
    if (!pick) return;
    if (pick.value === '\u0000open') await vscode.commands.executeCommand('ecsDoctor.openAwsConfig');
    else await ctx.config.update('profile', pick.value);
  });
  cmd('ecsDoctor.selectRegions', async () => {
    const s = ctx.config.settings;
    const selected = new Set(s.regions.length ? s.regions : s.region ? [s.region] : regionLabel.split(', ').filter(Boolean));
    const names = [...new Set([...selected, ...ECS_REGIONS])];
    const picks = await vscode.window.showQuickPick(
      names.map((r) => ({ label: r, picked: selected.has(r) })),
      { title: 'ECS Doctor: Regions to show (one or more)', canPickMany: true },
    );
    if (!picks) return;
    const regions = picks.map((p) => p.label).filter(isRegionName);
    if (!regions.length) return;
    if (regions.length === 1) {
      await ctx.config.update('regions', []);
      await ctx.config.update('region', regions[0]!);
    } else {
      await ctx.config.update('regions', regions);
    }
  });
  cmd('ecsDoctor.copyArn', async (node?: ExplorerNode) => {
    const arn = node && arnOf(node);
    if (!arn) return;
    await vscode.env.clipboard.writeText(arn);
    void vscode.window.setStatusBarMessage(`Copied ${arn}`, 3000);
  });
  cmd('ecsDoctor.openInConsole', async (node?: ExplorerNode) => {
    const url = node && consoleUrl(node);
    if (url) await vscode.env.openExternal(vscode.Uri.parse(url));
  });
  cmd('ecsDoctor.openTaskDefinition', async (node?: ExplorerNode) => {
    if (!node?.scope) return;
    const arn = node.kind === 'task' ? node.task?.taskDefinitionArn : node.kind === 'service' ? (node.service?.taskDefinition ?? undefined) : node.kind === 'container' && node.parent?.kind === 'task' ? node.parent.task?.taskDefinitionArn : undefined;
    if (!arn) return void vscode.window.showWarningMessage('ECS Doctor: this node has no task definition yet; try again when it has loaded.');
    try {
      const td = await vscode.window.withProgress({ location: { viewId: VIEW_ID } }, () => node.scope!.source.taskDefinition(arn));
      // A read-only document named after family:revision (never an unsaved "Untitled-1").
      await taskDefinitions.open(familyRevision(arn, td), node.scope.id, JSON.stringify(td, null, 2) + '\n');
    } catch (err) {
      const c = classifyAwsError(err, { profile: node.scope.profile, region: node.scope.region });
      ctx.log.warn(`Open task definition ${arn}: ${c.message}`);
      void vscode.window.showErrorMessage(`ECS Doctor: could not read the task definition: ${c.message}`, 'Show Log').then((x) => x && ctx.log.show());
    }
  });
  cmd('ecsDoctor.ssoLogin', () => {
    const profile = ctx.config.settings.profile || process.env.AWS_PROFILE || '';
    const args = ['sso', 'login', ...(profile ? ['--profile', profile] : [])];
    const terminal = vscode.window.createTerminal({ name: 'AWS SSO login', shellPath: 'aws', shellArgs: args });
    terminal.show();
    const done = vscode.window.onDidCloseTerminal((t) => {
      if (t !== terminal) return;
      done.dispose();
      rebuild();
    });
    ctx.push(done);
  });
  cmd('ecsDoctor.openAwsConfig', async () => {
    const { config, credentials } = awsFiles();
    for (const f of [config, credentials]) {
      try {
        await vscode.window.showTextDocument(vscode.Uri.file(f));
        return;
      } catch {
        // try the next one
      }
    }
    void vscode.window.showInformationMessage(`ECS Doctor: no ${config} yet. Run \`aws configure\` or \`aws configure sso\` in a terminal to create a profile.`);
  });

  const handle: ExplorerHandle = { provider, treeView, model: () => provider.current() };
  cmd('ecsDoctor.internal.explorer', () => {
    ensure();
    return handle;
  });
}
