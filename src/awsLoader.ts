/**
 * The one door to the AWS layer. The bundles keep src/aws in dist/aws.js and load it here on
 * first use (see esbuild.mjs), so activating the extension or running `ecs-doctor lint` never
 * pays for the AWS SDK. Outside the bundle (unit tests) this is an ordinary lazy require.
 */
export type AwsModule = typeof import('./aws/index');

let loading: Promise<AwsModule> | undefined;

export function loadAws(): Promise<AwsModule> {
  loading ??= import('./aws/index');
  return loading;
}
