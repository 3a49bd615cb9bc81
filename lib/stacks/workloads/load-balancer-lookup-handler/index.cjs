// @ts-check
/* global module, fetch, setTimeout */
'use strict';
/*
 * CloudFormation custom resource: waits until the load balancer with a given name (created by a
 * controller in the cluster, not by CloudFormation) is active, and returns its ARN and DNS name.
 * API Gateway refuses a VPC link to an NLB that is still provisioning, and the ARN of such an NLB
 * exists only after the controller created it.
 *
 * Properties: LoadBalancerName (required); any other property only triggers an update.
 * Data: Arn, DNSName. The physical id is the ARN, so a replaced load balancer replaces the resource.
 */

const POLL_MS = 10000;
/** Keep this much of the Lambda's time to send the answer. */
const ANSWER_MARGIN_MS = 30000;

/**
 * @typedef {{ LoadBalancerArn?: string, DNSName?: string, State?: { Code?: string, Reason?: string } }} LoadBalancer
 * @typedef {{
 *   describe: (name: string) => Promise<LoadBalancer | undefined>,
 *   answer: (url: string, body: string) => Promise<void>,
 *   sleep: (ms: number) => Promise<void>,
 *   now: () => number,
 * }} Deps
 */

/**
 * @param {Deps} deps
 * @param {string} name
 * @param {number} deadline epoch milliseconds
 * @returns {Promise<LoadBalancer>}
 */
async function waitUntilActive(deps, name, deadline) {
  let last = 'not found';
  for (;;) {
    const lb = await deps.describe(name);
    const state = lb?.State?.Code;
    if (lb && state === 'active') return lb;
    if (state === 'failed') throw new Error(`load balancer ${name} failed: ${lb?.State?.Reason ?? 'no reason given'}`);
    last = state ?? 'not found';
    if (deps.now() + POLL_MS > deadline) {
      throw new Error(`load balancer ${name} was not active in time (last state: ${last}); check the Service events in the cluster`);
    }
    await deps.sleep(POLL_MS);
  }
}

/**
 * @param {Deps} deps
 * @returns {(event: Record<string, any>, context: { getRemainingTimeInMillis(): number }) => Promise<void>}
 */
function createHandler(deps) {
  return async (event, context) => {
    /** @type {(status: string, reason: string, physicalId: string, data: Record<string, string>) => Promise<void>} */
    const answer = (status, reason, physicalId, data) => deps.answer(event.ResponseURL, JSON.stringify({
      Status: status,
      Reason: reason.slice(0, 1000),
      PhysicalResourceId: physicalId,
      StackId: event.StackId,
      RequestId: event.RequestId,
      LogicalResourceId: event.LogicalResourceId,
      Data: data,
    }));
    const previousId = event.PhysicalResourceId ?? `${event.LogicalResourceId}-not-created`;
    try {
      if (event.RequestType === 'Delete') {
        // The load balancer belongs to its Service; deleting the Service removes it.
        await answer('SUCCESS', 'nothing to delete', previousId, {});
        return;
      }
      const name = event.ResourceProperties?.LoadBalancerName;
      if (typeof name !== 'string' || name === '') throw new Error('LoadBalancerName is required');
      const lb = await waitUntilActive(deps, name, deps.now() + context.getRemainingTimeInMillis() - ANSWER_MARGIN_MS);
      await answer('SUCCESS', 'active', String(lb.LoadBalancerArn), { Arn: String(lb.LoadBalancerArn), DNSName: String(lb.DNSName) });
    } catch (error) {
      await answer('FAILED', error instanceof Error ? error.message : String(error), previousId, {});
    }
  };
}

/** @returns {Promise<Deps>} */
async function awsDeps() {
  // The Lambda Node.js runtime ships AWS SDK v3; nothing is bundled.
  const { ElasticLoadBalancingV2Client, DescribeLoadBalancersCommand } = await import('@aws-sdk/client-elastic-load-balancing-v2');
  const client = new ElasticLoadBalancingV2Client({});
  return {
    describe: async (name) => {
      try {
        const out = await client.send(new DescribeLoadBalancersCommand({ Names: [name] }));
        return out.LoadBalancers?.[0];
      } catch (error) {
        if (error instanceof Error && error.name === 'LoadBalancerNotFoundException') return undefined;
        throw error;
      }
    },
    answer: async (url, body) => {
      // The pre-signed S3 URL is signed without a content type.
      const response = await fetch(url, { method: 'PUT', body, headers: { 'content-type': '' } });
      if (!response.ok) throw new Error(`CloudFormation answer failed: HTTP ${response.status}`);
    },
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    now: () => Date.now(),
  };
}

/** @type {ReturnType<typeof createHandler> | undefined} */
let live;

module.exports = {
  createHandler,
  waitUntilActive,
  POLL_MS,
  /** @type {ReturnType<typeof createHandler>} */
  handler: async (event, context) => {
    live ??= createHandler(await awsDeps());
    return live(event, context);
  },
};
