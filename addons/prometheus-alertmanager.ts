import { parse } from 'yaml';

/*
 * What Amazon Managed Service for Prometheus accepts as an alert manager definition. Sources (read
 * 2026-12-07): AMP User Guide "Create an alert manager configuration" (AMP-alertmanager-config: the
 * file has `template_files` and `alertmanager_config`, the latter in Alertmanager's own format),
 * "Setting up your alert receiver" (AMP-alertmanager-receiver: "The only alert receiver currently
 * supported ... is Amazon SNS") and "Configure alert manager to send messages to your Amazon SNS
 * topic" (AMP-alertmanager-receiver-config: `api_url` and `http_config` are not allowed in an SNS
 * receiver, and SigV4 settings must have a Region).
 */

/** One thing AMP would refuse: the offending part and what is allowed instead. */
export interface AlertManagerProblem {
  readonly found: string;
  readonly allowed: string;
}

const SNS_ONLY = 'receivers with sns_configs only (Amazon SNS is the only alert receiver AMP supports)';

/** The problems of an alert manager definition; empty when AMP can take it. */
export function alertManagerProblems(definition: string): AlertManagerProblem[] {
  const outer = parseYaml(definition);
  if (typeof outer === 'string') {
    return [{ found: outer, allowed: 'an AMP alert manager definition: valid YAML' }];
  }
  if (!isMap(outer.value) || !('alertmanager_config' in outer.value)) {
    return [{ found: 'no alertmanager_config', allowed: 'an AMP alert manager definition: YAML with a top-level alertmanager_config key' }];
  }
  const raw = outer.value.alertmanager_config;
  const inner = typeof raw === 'string' ? parseYaml(raw) : { value: raw };
  if (typeof inner === 'string') {
    return [{ found: `alertmanager_config: ${inner}`, allowed: 'alertmanager_config holding a valid YAML Alertmanager configuration' }];
  }
  if (!isMap(inner.value)) {
    return [{ found: 'alertmanager_config that is not a mapping', allowed: 'an Alertmanager configuration (route, receivers, ...)' }];
  }
  const receivers = inner.value.receivers ?? [];
  if (!Array.isArray(receivers)) {
    return [{ found: 'receivers that is not a list', allowed: 'a list of receivers' }];
  }
  return receivers.flatMap((receiver, i) => receiverProblems(receiver, i));
}

function receiverProblems(receiver: unknown, index: number): AlertManagerProblem[] {
  if (!isMap(receiver)) {
    return [{ found: `receivers[${index}] that is not a mapping`, allowed: SNS_ONLY }];
  }
  const label = `receivers[${index}] (${String(receiver.name)})`;
  const problems: AlertManagerProblem[] = Object.keys(receiver)
    .filter((key) => key !== 'name' && key !== 'sns_configs')
    .map((key) => ({ found: `${label}: ${key}`, allowed: SNS_ONLY }));
  const configs = receiver.sns_configs ?? [];
  for (const [j, config] of (Array.isArray(configs) ? configs : [configs]).entries()) {
    const where = `${label}.sns_configs[${j}]`;
    if (!isMap(config)) {
      problems.push({ found: `${where} that is not a mapping`, allowed: 'an SNS receiver {topic_arn, sigv4: {region}, ...}' });
      continue;
    }
    for (const key of ['api_url', 'http_config'].filter((k) => k in config)) {
      problems.push({
        found: `${where}: ${key}`,
        allowed: 'an SNS receiver without api_url (AMP sets it) or http_config (not supported by AMP)',
      });
    }
    if (config.sigv4 !== undefined && !(isMap(config.sigv4) && typeof config.sigv4.region === 'string' && config.sigv4.region !== '')) {
      problems.push({
        found: `${where}: sigv4 without region`,
        allowed: 'sigv4 settings with a region (AMP needs it to sign the request)',
      });
    }
  }
  return problems;
}

/** The parsed document, or the parser's message when the text is not YAML. */
function parseYaml(text: string): { readonly value: unknown } | string {
  try {
    return { value: parse(text) as unknown };
  } catch (error) {
    return (error instanceof Error ? error.message : String(error)).split('\n')[0];
  }
}

function isMap(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
