import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { listProfiles, type AwsProfileInfo } from '../../core/awsProfiles';

/** The shared config and credentials files, where the AWS CLI looks (AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE). */
export function awsFiles(env: NodeJS.ProcessEnv = process.env): { config: string; credentials: string } {
  const home = os.homedir();
  return {
    config: env.AWS_CONFIG_FILE || path.join(home, '.aws', 'config'),
    credentials: env.AWS_SHARED_CREDENTIALS_FILE || path.join(home, '.aws', 'credentials'),
  };
}

async function readOrEmpty(file: string): Promise<string> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch {
    return ''; // missing or unreadable: no profiles from it
  }
}

/** Profiles from ~/.aws/config and ~/.aws/credentials (asynchronously; a missing file is empty). */
export async function readProfiles(env: NodeJS.ProcessEnv = process.env): Promise<AwsProfileInfo[]> {
  const files = awsFiles(env);
  const [config, credentials] = await Promise.all([readOrEmpty(files.config), readOrEmpty(files.credentials)]);
  return listProfiles(config, credentials);
}
