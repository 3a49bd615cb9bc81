import * as logs from 'aws-cdk-lib/aws-logs';

/**
 * The CDK's retention for a number of days. The configuration schema accepts only the values
 * CloudWatch Logs does, which are exactly the enum's values; anything else is a bug, not input.
 */
export function logRetention(days: number): logs.RetentionDays {
  const retention = Object.values(logs.RetentionDays).find((value) => value === days);
  if (retention === undefined || typeof retention === 'string') {
    throw new Error(`logRetention: ${days} days is not a CloudWatch Logs retention`);
  }
  return retention;
}
