/**
 * The one door to the infrastructure-as-code readers (YAML templates, Terraform). The bundles keep
 * src/iac in dist/iac.js and load it here on the first YAML or .tf file (see esbuild.mjs), so
 * activating the extension or linting JSON never pays for the parsers. Outside the bundle (unit
 * tests) this is an ordinary lazy require.
 */
import type { Readers } from './core/taskdef/lint';

export type IacModule = typeof import('./iac/index');

let loading: Promise<IacModule> | undefined;

export function loadIac(): Promise<IacModule> {
  loading ??= import('./iac/index');
  return loading;
}

/** Readers for the syntaxes of the given files' names (none needed for JSON). */
export async function readersFor(syntaxes: ReadonlyArray<'json' | 'yaml' | 'hcl'>): Promise<Readers | undefined> {
  const need = syntaxes.filter((s): s is 'yaml' | 'hcl' => s !== 'json');
  if (need.length === 0) return undefined;
  return (await loadIac()).readers(need);
}
