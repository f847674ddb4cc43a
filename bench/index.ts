// The in-process part of `npm run bench` (bench/run.mjs starts it with --expose-gc): the linter
// and classifier micro-benchmarks and the tree benchmarks, written as one flat JSON object of
// numbers to the file named by the first argument.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { benchLogs } from './logs';
import { benchIac } from './iac';
import { benchExplain, benchLint } from './micro';
import { benchTree } from './tree';
import { benchService } from './service';

async function main(): Promise<void> {
  const out = process.argv[2] ?? path.resolve(__dirname, 'partial.json');
  const runs = Math.max(1, Number(process.env.BENCH_RUNS ?? 3) || 3);
  const log = (m: string) => process.stderr.write(`bench: ${m}\n`);
  const results: Record<string, number> = {};
  Object.assign(results, benchLint());
  log(`lint: p50 ${results['lint.p50Ms']} ms, ${results['lint.ratioToParse']}x jsonc-parser`);
  Object.assign(results, await benchIac());
  log(`iac: YAML ${results['iac.yamlRatioToParse']}x its parse, Terraform ${results['iac.tfRatioToParse']}x its parse`);
  const explain = benchExplain();
  if (explain) {
    Object.assign(results, explain);
    log(`explain: p50 ${explain['explain.p50Us']} µs`);
  } else {
    log('explain: the stop-reason classifier (src/core/diagnose/classify/) is not built; skipped');
  }
  if (process.env.BENCH_SKIP_TREE !== '1') Object.assign(results, await benchTree(runs, log));
  if (process.env.BENCH_SKIP_SERVICE !== '1') Object.assign(results, await benchService(runs, log));
  if (process.env.BENCH_SKIP_LOGS !== '1') Object.assign(results, await benchLogs(runs, log));
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify(results, null, 2) + '\n');
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
