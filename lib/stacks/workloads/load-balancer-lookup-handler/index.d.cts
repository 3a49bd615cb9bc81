/** Types of the load-balancer lookup handler (index.cjs), for tests. */
export interface LoadBalancer {
  LoadBalancerArn?: string;
  DNSName?: string;
  State?: { Code?: string; Reason?: string };
}
export interface Deps {
  describe(name: string): Promise<LoadBalancer | undefined>;
  answer(url: string, body: string): Promise<void>;
  sleep(ms: number): Promise<void>;
  now(): number;
}
export type Handler = (event: Record<string, unknown>, context: { getRemainingTimeInMillis(): number }) => Promise<void>;
export declare const POLL_MS: number;
export declare function waitUntilActive(deps: Deps, name: string, deadline: number): Promise<LoadBalancer>;
export declare function createHandler(deps: Deps): Handler;
export declare const handler: Handler;
