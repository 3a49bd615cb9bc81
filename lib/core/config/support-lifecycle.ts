/** What EKS does when the version's standard support ends (`AWS::EKS::Cluster.UpgradePolicy.SupportType`). */
export const SUPPORT_TYPES = ['STANDARD', 'EXTENDED'] as const;
/** What EKS does at the end of standard support. */
export type SupportType = (typeof SUPPORT_TYPES)[number];

/**
 * EKS control plane prices per cluster-hour (EKS pricing page, us-east-1 and most regions): what a
 * version costs in standard support and after it, in extended support.
 */
export const CONTROL_PLANE_PRICE_PER_HOUR = { standard: 0.1, extended: 0.6 } as const;

/** A version in its last 90 days of standard support gets a warning. */
export const STANDARD_SUPPORT_WARNING_DAYS = 90;

/** The support dates of one Kubernetes minor version on EKS. */
export interface SupportDates {
  /** Last day of standard support (ISO date). */
  readonly standardSupportEnds: string;
  /** Last day of extended support (ISO date). */
  readonly extendedSupportEnds: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/** Today as an ISO date (UTC), for synth-time warnings. */
export function isoToday(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

function extraCostPer30Days(): string {
  const perHour = CONTROL_PLANE_PRICE_PER_HOUR.extended - CONTROL_PLANE_PRICE_PER_HOUR.standard;
  return `$${(perHour * 24 * 30).toFixed(0)}`;
}

/**
 * What a platform engineer should know at synth about the chosen version's support on `today`:
 * in extended support, or within {@link STANDARD_SUPPORT_WARNING_DAYS} of leaving standard
 * support. `undefined` when nothing is due.
 */
export function supportNotice(version: string, dates: SupportDates, supportType: SupportType, today: string): string | undefined {
  const price = `$${CONTROL_PLANE_PRICE_PER_HOUR.extended.toFixed(2)} per hour instead of $${CONTROL_PLANE_PRICE_PER_HOUR.standard.toFixed(2)} (about ${extraCostPer30Days()} more per 30 days)`;
  const after =
    supportType === 'EXTENDED'
      ? `with supportType EXTENDED the control plane then costs ${price} until you upgrade`
      : 'with supportType STANDARD EKS then upgrades the control plane to the next version by itself; upgrade before then to choose when';
  if (today > dates.extendedSupportEnds) {
    return `Kubernetes ${version}: extended support ended on ${dates.extendedSupportEnds}; EKS upgrades such clusters automatically. Choose a newer kubernetesVersion.`;
  }
  if (today > dates.standardSupportEnds) {
    return supportType === 'EXTENDED'
      ? `Kubernetes ${version} is in EKS extended support since ${dates.standardSupportEnds} (until ${dates.extendedSupportEnds}): the control plane costs ${price}. Upgrade to a newer kubernetesVersion.`
      : `Kubernetes ${version} left EKS standard support on ${dates.standardSupportEnds}: with supportType STANDARD EKS upgrades the control plane to the next version by itself. Choose a newer kubernetesVersion.`;
  }
  const left = daysBetween(today, dates.standardSupportEnds);
  if (left <= STANDARD_SUPPORT_WARNING_DAYS) {
    return `Kubernetes ${version}: EKS standard support ends on ${dates.standardSupportEnds} (in ${left} day${left === 1 ? '' : 's'}); ${after}.`;
  }
  return undefined;
}
