/**
 * Profiles the way the AWS CLI sees them: `[default]` and `[profile NAME]` sections of
 * ~/.aws/config, `[NAME]` sections of ~/.aws/credentials. Pure: the caller reads the files.
 */

export interface AwsProfileInfo {
  name: string;
  region?: string;
  /** How it signs in: sso, credential_process, role (source_profile/role_arn), keys, or unknown. */
  kind: 'sso' | 'process' | 'role' | 'keys' | 'web-identity' | 'unknown';
  endpointUrl?: string;
  ssoSession?: string;
}

/** Sections of an INI file: name -> key -> value (comments and blank lines ignored). */
export function parseIni(text: string): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  let current: Map<string, string> | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    const section = /^\[\s*([^\]]+?)\s*\]$/.exec(line);
    if (section) {
      const name = section[1]!;
      current = out.get(name) ?? new Map();
      out.set(name, current);
      continue;
    }
    const kv = /^([^=]+?)\s*=\s*(.*)$/.exec(line);
    if (kv && current && !/^\s/.test(raw)) current.set(kv[1]!.trim().toLowerCase(), kv[2]!.trim());
  }
  return out;
}

/** Every profile in the config and credentials files, sorted, `default` first. */
export function listProfiles(configText: string, credentialsText: string): AwsProfileInfo[] {
  const byName = new Map<string, Map<string, string>>();
  for (const [section, values] of parseIni(configText)) {
    let name: string | undefined;
    if (section === 'default') name = 'default';
    else if (section.startsWith('profile ')) name = section.slice('profile '.length).trim();
    if (!name) continue; // sso-session, services, ...
    byName.set(name, new Map([...(byName.get(name) ?? []), ...values]));
  }
  for (const [section, values] of parseIni(credentialsText)) {
    byName.set(section, new Map([...values, ...(byName.get(section) ?? [])]));
  }
  const infos = [...byName].map(([name, v]): AwsProfileInfo => {
    const kind: AwsProfileInfo['kind'] =
      v.has('sso_start_url') || v.has('sso_session')
        ? 'sso'
        : v.has('credential_process')
          ? 'process'
          : v.has('role_arn') && v.has('web_identity_token_file')
            ? 'web-identity'
            : v.has('role_arn')
              ? 'role'
              : v.has('aws_access_key_id')
                ? 'keys'
                : 'unknown';
    const info: AwsProfileInfo = { name, kind };
    const region = v.get('region');
    if (region) info.region = region;
    const endpoint = v.get('endpoint_url');
    if (endpoint) info.endpointUrl = endpoint;
    const sso = v.get('sso_session');
    if (sso) info.ssoSession = sso;
    return info;
  });
  return infos.sort((a, b) => (a.name === 'default' ? -1 : b.name === 'default' ? 1 : a.name.localeCompare(b.name)));
}

/** Regions where ECS runs (commercial partition), for the Region picker. */
export const ECS_REGIONS = [
  'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'af-south-1', 'ap-east-1', 'ap-south-1', 'ap-south-2',
  'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3', 'ap-southeast-4', 'ap-northeast-1', 'ap-northeast-2',
  'ap-northeast-3', 'ca-central-1', 'ca-west-1', 'eu-central-1', 'eu-central-2', 'eu-west-1', 'eu-west-2',
  'eu-west-3', 'eu-south-1', 'eu-south-2', 'eu-north-1', 'il-central-1', 'me-south-1', 'me-central-1', 'sa-east-1',
] as const;

/** Whether a string looks like a Region id (xx-name-N). */
export function isRegionName(s: string): boolean {
  return /^[a-z]{2}(-gov)?-[a-z]+-\d$/.test(s);
}
