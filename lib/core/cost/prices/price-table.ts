/**
 * The prices one region's estimate uses, in US dollars before tax, for on-demand use without free
 * tier, Savings Plans or credits. Each group names the public page its figures come from, and a
 * region's table may name a more specific source per group. A price left out is one no source
 * reachable here confirmed: the estimate lists it as not priced instead of guessing.
 */
export interface RegionPriceTable {
  readonly region: string;
  /** The day the figures were read (ISO date); the estimate prints it. */
  readonly asOf: string;
  readonly eks: {
    readonly source: string;
    /** Control plane per cluster-hour while the version is in standard support. */
    readonly standardSupportPerHour: number;
    /** Control plane per cluster-hour while the version is in extended support. */
    readonly extendedSupportPerHour: number;
    /** EKS Provisioned Control Plane, per cluster-hour by tier (instead of the standard price). */
    readonly provisionedTierPerHour: Readonly<Partial<Record<string, number>>>;
    /** EKS Auto Mode management fee per instance-hour, by instance type (on top of EC2). */
    readonly autoModeFeePerHour: Readonly<Partial<Record<string, number>>>;
    /** EKS Capabilities (managed Argo CD, ACK, kro) per capability-hour, by type. */
    readonly capabilityPerHour: Readonly<Partial<Record<string, number>>>;
  };
  readonly ec2: {
    readonly source: string;
    /** Linux on-demand per instance-hour, by instance type (Bottlerocket and AL2023 are Linux). */
    readonly onDemandPerHour: Readonly<Partial<Record<string, number>>>;
  };
  readonly ebs: {
    readonly source: string;
    /** gp3 storage per GB-month (node root volumes). */
    readonly gp3PerGbMonth?: number;
  };
  readonly vpc: {
    readonly source: string;
    readonly natGatewayPerHour?: number;
    /** NAT gateway data processed, per GB. */
    readonly natGatewayPerGb?: number;
    /** Each public IPv4 address (NAT gateway EIPs, internet-facing load balancers), per hour. */
    readonly publicIpv4PerHour?: number;
  };
  readonly elb: {
    readonly source: string;
    readonly albPerHour?: number;
    readonly albLcuPerHour?: number;
    readonly nlbPerHour?: number;
    readonly nlbNlcuPerHour?: number;
  };
  readonly apiGateway: {
    readonly source: string;
    /** REST API requests, per million (first tier). */
    readonly restPerMillionRequests?: number;
  };
  readonly kms: {
    readonly source: string;
    /** Each customer-managed key, per month (prorated hourly). */
    readonly keyPerMonth?: number;
  };
  readonly logs: {
    readonly source: string;
    /** Standard log ingestion per GB (control-plane and container logs). */
    readonly ingestionPerGb?: number;
    /** Vended log ingestion to CloudWatch Logs per GB, first tier (VPC flow logs). */
    readonly vendedIngestionPerGb?: number;
    /** Archived log storage per GB-month. */
    readonly storagePerGbMonth?: number;
  };
  readonly prometheus: {
    readonly source: string;
    /** Metric samples ingested, per 10 million (first tier). */
    readonly per10MillionSamples?: number;
    /** Metric storage per GB-month. */
    readonly storagePerGbMonth?: number;
    /** The managed collector (scraper), per collector-hour. */
    readonly collectorPerHour?: number;
  };
  readonly efs: {
    readonly source: string;
    /** EFS Standard storage per GB-month. */
    readonly standardPerGbMonth?: number;
  };
  readonly secretsManager: {
    readonly source: string;
    readonly perSecretMonth?: number;
  };
}
