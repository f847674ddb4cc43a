/**
 * Just enough shell reading for health checks: split a CMD-SHELL string into simple commands
 * (at ; && || | & newlines and parentheses, outside quotes) and find curl invocations in them.
 * Linear in the length of the string; never throws.
 */

export interface Word {
  text: string;
  /** Index of the word's first character in the input string. */
  start: number;
  end: number;
}

export interface SimpleCommand {
  words: Word[];
  /** The operator that ends this command ('' at the end of the string). */
  next: string;
  /** Inside `$( ... )` or backquotes: its output is used, its exit status is not. */
  substituted: boolean;
}

export function splitCommands(s: string): SimpleCommand[] {
  const out: SimpleCommand[] = [];
  let words: Word[] = [];
  let cur = '';
  let curStart = -1;
  let depthSubst = 0;
  const parenSubst: boolean[] = [];
  let inBacktick = false;
  const flushWord = (end: number) => {
    if (curStart >= 0) words.push({ text: cur, start: curStart, end });
    cur = '';
    curStart = -1;
  };
  const flushCommand = (next: string) => {
    if (words.length) out.push({ words, next, substituted: depthSubst > 0 || inBacktick });
    words = [];
  };
  let i = 0;
  while (i < s.length) {
    const ch = s[i]!;
    if (ch === "'" || ch === '"') {
      if (curStart < 0) curStart = i;
      const close = s.indexOf(ch, i + 1);
      const stop = close < 0 ? s.length : close;
      cur += s.slice(i + 1, stop);
      i = stop + 1;
      continue;
    }
    if (ch === '\\' && i + 1 < s.length) {
      if (curStart < 0) curStart = i;
      cur += s[i + 1];
      i += 2;
      continue;
    }
    if (ch === ' ' || ch === '\t') {
      flushWord(i);
      i++;
      continue;
    }
    const two = s.slice(i, i + 2);
    if (two === '&&' || two === '||') {
      flushWord(i);
      flushCommand(two);
      i += 2;
      continue;
    }
    if (two === '$(') {
      flushWord(i);
      flushCommand('$(');
      parenSubst.push(true);
      depthSubst++;
      i += 2;
      continue;
    }
    if (ch === ';' || ch === '|' || ch === '&' || ch === '\n' || ch === '\r' || ch === '(' || ch === ')' || ch === '`') {
      flushWord(i);
      flushCommand(ch);
      if (ch === '(') parenSubst.push(false);
      else if (ch === ')') {
        if (parenSubst.pop()) depthSubst = Math.max(0, depthSubst - 1);
      } else if (ch === '`') inBacktick = !inBacktick;
      i++;
      continue;
    }
    if (curStart < 0) curStart = i;
    cur += ch;
    i++;
  }
  flushWord(s.length);
  flushCommand('');
  return out;
}

const WRAPPERS = new Set(['exec', 'command', 'env', 'timeout', 'nice', 'nohup', 'sudo', 'time']);

export function basename(p: string): string {
  const i = p.lastIndexOf('/');
  return i >= 0 ? p.slice(i + 1) : p;
}

/** Index of the word that is the program run by a simple command (skipping env assignments and wrappers). */
export function programIndex(words: Word[]): number {
  for (let i = 0; i < words.length; i++) {
    const t = words[i]!.text;
    if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(t)) continue;
    if (WRAPPERS.has(basename(t))) continue;
    if (i > 0 && (t.startsWith('-') || /^\d+(\.\d+)?[smhd]?$/.test(t))) continue;
    return i;
  }
  return -1;
}

/** curl short options that take an argument (the rest of the cluster, or the next word). */
const CURL_ARG_SHORT = new Set('AbcCdDeEFHKmoPQrtTuUwxXyYzE'.split(''));

export interface CurlFlags {
  fail: boolean;
  /** -w/--write-out: the check reads the status code itself. */
  writeOut: boolean;
}

/** Reads curl's arguments: does it fail on HTTP errors? */
export function curlFlags(args: string[]): CurlFlags {
  const r: CurlFlags = { fail: false, writeOut: false };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--fail' || a === '--fail-with-body' || a === '-f') r.fail = true;
    else if (a === '--write-out' || a.startsWith('--write-out=')) r.writeOut = true;
    else if (a === '--') break;
    else if (/^-[A-Za-z0-9#:]/.test(a) && !a.startsWith('--')) {
      for (let j = 1; j < a.length; j++) {
        const c = a[j]!;
        if (c === 'f') r.fail = true;
        if (c === 'w') r.writeOut = true;
        if (CURL_ARG_SHORT.has(c)) {
          if (j === a.length - 1) i++; // the argument is the next word
          break;
        }
      }
    } else if (/^--[a-z-]+$/.test(a) && CURL_LONG_WITH_ARG.has(a)) i++;
  }
  return r;
}

const CURL_LONG_WITH_ARG = new Set([
  '--header', '--output', '--request', '--data', '--data-raw', '--data-binary', '--user', '--user-agent',
  '--max-time', '--connect-timeout', '--retry', '--retry-delay', '--retry-max-time', '--proxy', '--cacert',
  '--cert', '--key', '--resolve', '--connect-to', '--unix-socket', '--referer', '--cookie', '--form', '--url',
]);

export interface CurlUse {
  /** The `curl` word (start/end in the shell string). */
  word: Word;
  flags: CurlFlags;
  /** Its output goes into a pipe or a substitution: something else decides the exit status. */
  consumed: boolean;
}

/** Every curl run by a shell string. */
export function findCurls(s: string): CurlUse[] {
  if (!s.includes('curl')) return [];
  const out: CurlUse[] = [];
  for (const cmd of splitCommands(s)) {
    const p = programIndex(cmd.words);
    if (p < 0 || basename(cmd.words[p]!.text) !== 'curl') continue;
    out.push({
      word: cmd.words[p]!,
      flags: curlFlags(cmd.words.slice(p + 1).map((w) => w.text)),
      consumed: cmd.next === '|' || cmd.substituted,
    });
  }
  return out;
}

export interface LocalUrl {
  /** Index of the whole match. */
  start: number;
  end: number;
  /** Index just after the host, where `:port` is or would go. */
  hostEnd: number;
  /** Index and text of an explicit port. */
  portStart: number | undefined;
  portText: string | undefined;
  port: number;
}

/** http(s) URLs (and scheme-less host:port) that point at the container itself. */
export function findLocalUrls(s: string): LocalUrl[] {
  const out: LocalUrl[] = [];
  const re = /(?:\b(https?):\/\/)?(localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1\])(?::(\d{1,5}))?(?![\w.-])/g;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    const scheme = m[1]?.toLowerCase();
    const portText = m[3];
    if (!scheme && !portText) continue;
    const hostEnd = m.index + m[0].length - (portText ? portText.length + 1 : 0);
    out.push({
      start: m.index,
      end: m.index + m[0].length,
      hostEnd,
      portStart: portText ? hostEnd + 1 : undefined,
      portText,
      port: portText ? Number(portText) : scheme === 'https' ? 443 : 80,
    });
  }
  return out;
}
