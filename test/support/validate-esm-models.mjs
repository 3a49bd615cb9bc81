// Validates Kubernetes objects whose model packages are ESM-only (jest runs CommonJS).
// Reads a JSON array of objects on stdin, prints a JSON array of problems.
const MODULES = {
  'karpenter.sh/v1/NodePool': '@kubernetes-models/karpenter/karpenter.sh/v1/NodePool',
  'karpenter.k8s.aws/v1/EC2NodeClass': '@kubernetes-models/karpenter/karpenter.k8s.aws/v1/EC2NodeClass',
};
let input = '';
for await (const chunk of process.stdin) input += chunk;
const problems = [];
for (const object of JSON.parse(input)) {
  const key = `${object.apiVersion}/${object.kind}`;
  const path = MODULES[key];
  if (!path) {
    problems.push(`${key} ${object.metadata?.name}: no schema`);
    continue;
  }
  const Model = (await import(path))[object.kind];
  try {
    new Model(object).validate();
  } catch (error) {
    problems.push(`${key} ${object.metadata?.name}: ${error.message}`);
  }
}
process.stdout.write(JSON.stringify(problems));
