// AWS STS (awsQuery): GetCallerIdentity, so `aws sts get-caller-identity` and the SDK's identity
// checks work against the simulator. It is also the reference for adding an awsQuery service:
// handlers return the Result's fields with their wire (XML) names; lists are arrays.
import type { SimService } from '../protocol';

export const sts: SimService = {
  name: 'sts',
  signingName: 'sts',
  protocol: 'query',
  apiVersion: '2011-06-15',
  xmlNamespace: 'https://sts.amazonaws.com/doc/2011-06-15/',
  operations: {
    GetCallerIdentity(ctx) {
      const s = ctx.state;
      return {
        Arn: s.sts.arn ?? `arn:aws:iam::${s.accountId}:user/sim-user`,
        UserId: s.sts.userId ?? 'AIDASIMULATORUSER0001',
        Account: s.accountId,
      };
    },
  },
};
