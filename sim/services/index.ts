// Every AWS service the simulator serves on its one endpoint. To add one: write
// sim/services/<name>.ts exporting a SimService (see protocol.ts for the contract and the
// JSON 1.1 / awsQuery / ec2Query helpers, ecs.ts and sts.ts for examples), add its scenario
// section and state to types.ts, and list it here.
import type { SimService } from '../protocol';
import { ecs } from './ecs';
import { sts } from './sts';
import { iam } from './iam';
import { logs } from './logs';
import { ecr } from './ecr';
import { ec2 } from './ec2';
import { elbv2 } from './elbv2';
import { ssm } from './ssm';
import { secretsManager } from './secretsmanager';
import { cloudwatch } from './cloudwatch';

export const SERVICES: SimService[] = [ecs, sts, iam, logs, ecr, ec2, elbv2, ssm, secretsManager, cloudwatch];
