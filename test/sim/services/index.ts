// Every AWS service the simulator serves on its one endpoint. To add one: write
// test/sim/services/<name>.ts exporting a SimService (see protocol.ts for the contract and the
// JSON 1.1 / awsQuery / ec2Query helpers, ecs.ts and sts.ts for examples), add its scenario
// section and state to types.ts, and list it here.
import type { SimService } from '../protocol';
import { ecs } from './ecs';
import { sts } from './sts';
import { iam } from './iam';

export const SERVICES: SimService[] = [ecs, sts, iam];
