/** A Kubernetes object as our code renders it (validated against the schemas in tests). */
export interface KubernetesObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly labels?: Readonly<Record<string, string>>;
    readonly annotations?: Readonly<Record<string, string>>;
    readonly finalizers?: readonly string[];
  };
  readonly [field: string]: unknown;
}

/** Labels on every object the platform renders itself, so `kubectl get -l` finds them. */
export const PLATFORM_LABELS: Readonly<Record<string, string>> = {
  'app.kubernetes.io/part-of': 'cdk-eks-platform',
  'app.kubernetes.io/managed-by': 'cdk',
};
