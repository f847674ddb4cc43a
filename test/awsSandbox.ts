// Keeps in-process tests and benchmarks away from real AWS: the SDK's default chain finds dummy
// keys in the environment, no ~/.aws files and no instance metadata. Used by the unit tests,
// the reliability suite and the benchmarks.

/** Dummy credentials in the environment, no AWS config files, no instance metadata. */
export function sandboxEnv(extra: Record<string, string | undefined> = {}): () => void {
  const saved = { ...process.env };
  process.env.AWS_CONFIG_FILE = '/nonexistent/ecs-doctor/config';
  process.env.AWS_SHARED_CREDENTIALS_FILE = '/nonexistent/ecs-doctor/credentials';
  process.env.AWS_ACCESS_KEY_ID = 'AKIARELIABILITY00000';
  process.env.AWS_SECRET_ACCESS_KEY = 'reliability-secret-not-real';
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
  delete process.env.AWS_DEFAULT_PROFILE;
  delete process.env.AWS_REGION;
  delete process.env.AWS_DEFAULT_REGION;
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  return () => {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  };
}
