/** The free IP addresses of the task's subnet (of the service's subnets when the task names none). */
import type { SubnetFacts } from '../facts';
import { failedEvidence, noSubnet, type Judge } from '../live';
import type { Evidence } from '../types';
import { plural } from './text';

/** Free IPv4 addresses: awsvpc tasks need one each; none left stops a task before it starts. */
export function judgeSubnetIps(subnet: SubnetFacts): Evidence {
  const n = subnet.availableIpAddressCount;
  const command = `aws ec2 describe-subnets --subnet-ids ${subnet.subnetId} --query 'Subnets[*].{CIDR:CidrBlock,Available:AvailableIpAddressCount}'`;
  const where = `Subnet ${subnet.subnetId}${subnet.cidrBlock ? ` (${subnet.cidrBlock}${subnet.availabilityZone ? `, ${subnet.availabilityZone}` : ''})` : ''}`;
  if (n === undefined) return { check: 'subnet-ips', status: 'skipped', detail: `${where}: the free address count was not reported.`, command };
  if (n === 0) return { check: 'subnet-ips', status: 'fail', detail: `${where} has no free IP address left: a new awsvpc task cannot get a network interface.`, command };
  return { check: 'subnet-ips', status: 'pass', detail: `${where} has ${plural(n, 'free IP address', 'free IP addresses')}${n < 5 ? ' (nearly exhausted)' : ''}.`, command };
}

export const checkSubnetIps: Judge = async (facts, collect) => {
  const subnetIds = facts.task.subnetId ? [facts.task.subnetId] : (facts.service?.subnets ?? []);
  if (!subnetIds.length) return [noSubnet(facts, 'subnet-ips')];
  const out: Evidence[] = [];
  for (const id of subnetIds) {
    try {
      const subnet = await collect('subnet', id);
      out.push(subnet ? judgeSubnetIps(subnet) : { check: 'subnet-ips', status: 'fail', detail: `Subnet ${id} no longer exists.` });
    } catch (err) {
      out.push(failedEvidence('subnet-ips', err, { command: `aws ec2 describe-subnets --subnet-ids ${id}` }));
    }
  }
  return out;
};
