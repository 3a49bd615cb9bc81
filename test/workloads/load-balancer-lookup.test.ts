import type { Deps, LoadBalancer } from '../../lib/stacks/workloads/load-balancer-lookup-handler/index.cjs';
import { createHandler, POLL_MS } from '../../lib/stacks/workloads/load-balancer-lookup-handler/index.cjs';

const ARN = 'arn:aws:elasticloadbalancing:us-west-2:111122223333:loadbalancer/net/dev-petstore/0123456789abcdef';
const DNS = 'dev-petstore-0123456789abcdef.elb.us-west-2.amazonaws.com';

interface Answer {
  Status: string;
  Reason: string;
  PhysicalResourceId: string;
  RequestId: string;
  LogicalResourceId: string;
  StackId: string;
  Data: Record<string, string>;
}

/** Runs the handler against a scripted sequence of DescribeLoadBalancers results on a fake clock. */
async function run(event: Record<string, unknown>, states: ReadonlyArray<LoadBalancer | undefined>, remainingMs = 15 * 60 * 1000) {
  let clock = 0;
  let calls = 0;
  const answers: Array<{ url: string; body: Answer }> = [];
  const deps: Deps = {
    describe: async (name) => {
      expect(name).toBe('dev-petstore');
      return states[Math.min(calls++, states.length - 1)];
    },
    answer: async (url, body) => {
      answers.push({ url, body: JSON.parse(body) as Answer });
    },
    sleep: async (ms) => {
      clock += ms;
    },
    now: () => clock,
  };
  await createHandler(deps)(
    {
      ResponseURL: 'https://s3.example/response',
      StackId: 'stack',
      RequestId: 'request',
      LogicalResourceId: 'Lookup',
      ResourceProperties: { LoadBalancerName: 'dev-petstore', Trigger: DNS },
      ...event,
    },
    { getRemainingTimeInMillis: () => remainingMs },
  );
  expect(answers).toHaveLength(1);
  return { answer: answers[0], calls, waitedMs: clock };
}

const lb = (code: string, reason?: string): LoadBalancer => ({ LoadBalancerArn: ARN, DNSName: DNS, State: { Code: code, Reason: reason } });

describe('load balancer lookup handler', () => {
  test('waits while the NLB does not exist yet and while it provisions, then returns its ARN and DNS name', async () => {
    const { answer, calls, waitedMs } = await run({ RequestType: 'Create' }, [
      undefined,
      lb('provisioning'),
      lb('provisioning'),
      lb('active'),
    ]);
    expect(answer.url).toBe('https://s3.example/response');
    expect(answer.body).toEqual({
      Status: 'SUCCESS',
      Reason: 'active',
      PhysicalResourceId: ARN,
      StackId: 'stack',
      RequestId: 'request',
      LogicalResourceId: 'Lookup',
      Data: { Arn: ARN, DNSName: DNS },
    });
    expect(calls).toBe(4);
    expect(waitedMs).toBe(3 * POLL_MS);
  });

  test('an update (e.g. a replaced NLB) answers with the current ARN as the physical id', async () => {
    const { answer } = await run({ RequestType: 'Update', PhysicalResourceId: 'old-arn' }, [lb('active')]);
    expect(answer.body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: ARN });
  });

  test('fails when the NLB failed', async () => {
    const { answer } = await run({ RequestType: 'Create' }, [lb('provisioning'), lb('failed', 'subnet has no free addresses')]);
    expect(answer.body).toMatchObject({
      Status: 'FAILED',
      Reason: 'load balancer dev-petstore failed: subnet has no free addresses',
      PhysicalResourceId: 'Lookup-not-created',
    });
  });

  test('gives up before the Lambda times out, keeping time to answer', async () => {
    const { answer, waitedMs } = await run({ RequestType: 'Create' }, [lb('provisioning')], 2 * 60 * 1000);
    expect(answer.body.Status).toBe('FAILED');
    expect(answer.body.Reason).toMatch(/^load balancer dev-petstore was not active in time \(last state: provisioning\)/);
    expect(waitedMs).toBeLessThanOrEqual(2 * 60 * 1000 - 30 * 1000);
  });

  test('delete touches nothing (the NLB belongs to its Service)', async () => {
    const { answer, calls } = await run({ RequestType: 'Delete', PhysicalResourceId: ARN }, [lb('active')]);
    expect(calls).toBe(0);
    expect(answer.body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: ARN });
  });

  test('a missing name and API errors are answered as failures, not left to time out', async () => {
    const missing = await run({ RequestType: 'Create', ResourceProperties: {} }, [lb('active')]);
    expect(missing.answer.body).toMatchObject({ Status: 'FAILED', Reason: 'LoadBalancerName is required' });
    const answers: string[] = [];
    await createHandler({
      describe: async () => {
        throw new Error('AccessDenied');
      },
      answer: async (_url, body) => {
        answers.push(body);
      },
      sleep: async () => undefined,
      now: () => 0,
    })(
      { RequestType: 'Create', ResourceProperties: { LoadBalancerName: 'dev-petstore' }, LogicalResourceId: 'Lookup' },
      { getRemainingTimeInMillis: () => 60000 },
    );
    expect(JSON.parse(answers[0])).toMatchObject({ Status: 'FAILED', Reason: 'AccessDenied' });
  });
});
