import type { Template } from 'aws-cdk-lib/assertions';
import { Match } from 'aws-cdk-lib/assertions';

/**
 * Checks that every Lambda function of `template` logs to a log group of the same template
 * (`LoggingConfig.LogGroup` is a Ref to an AWS::Logs::LogGroup there) that has the given deletion
 * policy, the environment's key and retention; returns the logical ids of the functions.
 */
export function expectFunctionsLogToOwnGroups(template: Template, deletionPolicy: 'Delete' | 'Retain', retentionDays: number): string[] {
  const functions = template.findResources('AWS::Lambda::Function');
  for (const [id, fn] of Object.entries(functions)) {
    const ref = (fn.Properties.LoggingConfig as { LogGroup?: { Ref?: string } } | undefined)?.LogGroup?.Ref;
    expect([id, typeof ref]).toEqual([id, 'string']);
    const group = template.findResources('AWS::Logs::LogGroup', {
      DeletionPolicy: deletionPolicy,
      UpdateReplacePolicy: deletionPolicy,
      Properties: { KmsKeyId: Match.anyValue(), RetentionInDays: retentionDays },
    })[ref as string];
    expect([id, ref, group === undefined ? 'missing' : 'found']).toEqual([id, ref, 'found']);
  }
  return Object.keys(functions);
}
