/*
 * A small Graphviz DOT writer. The output depends only on what is added to it (ids are derived from
 * construct paths, edges are sorted), so the same configuration always gives the same bytes.
 */

/** What a node stands for; it decides the colour, so the picture reads the same everywhere. */
export type Category = 'network' | 'eks' | 'compute' | 'security' | 'logs' | 'kubernetes' | 'traffic' | 'aws' | 'contract';

const FILL: Readonly<Record<Category, string>> = {
  network: '#dbeafe',
  eks: '#fde68a',
  compute: '#fed7aa',
  security: '#fecaca',
  logs: '#d9f99d',
  kubernetes: '#e9d5ff',
  traffic: '#bae6fd',
  aws: '#f1f5f9',
  contract: '#ffffff',
};

export interface DiagramNode {
  readonly id: string;
  /** First line, in bold. */
  readonly title: string;
  /** Further lines, smaller. */
  readonly lines?: readonly string[];
  readonly category: Category;
  /** Drawn dashed: created at deploy time by a controller, not by CloudFormation. */
  readonly runtime?: boolean;
  /** Drawn as a table, one row per port; edges reach a row as `<id>:<port>`. */
  readonly ports?: readonly { readonly port: string; readonly text: string }[];
}

export interface DiagramEdge {
  readonly from: string;
  readonly to: string;
  readonly label?: string;
  /** Dashed and grey: an ordering or configuration relation rather than traffic or data. */
  readonly weak?: boolean;
  /** Draw the edge from / to the border of this cluster (by cluster id) instead of the node. */
  readonly fromCluster?: string;
  readonly toCluster?: string;
}

export interface DiagramCluster {
  readonly id: string;
  readonly label: string;
  readonly nodes: DiagramNode[];
  readonly clusters: DiagramCluster[];
  /** Background colour. */
  readonly fill?: string;
}

export function cluster(id: string, label: string, fill?: string): DiagramCluster {
  return { id: safeId(id), label, nodes: [], clusters: [], fill };
}

/** A DOT identifier from any text (a construct path): letters, digits and `_` only. */
export function safeId(text: string): string {
  return text.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_|_$/g, '');
}

function html(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function quote(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function nodeLine(node: DiagramNode, indent: string): string {
  if (node.ports) {
    const rows = node.ports.map((p) => `<tr><td port="${p.port}" align="left">${html(p.text)}</td></tr>`).join('');
    const table = `<table border="0" cellborder="1" cellspacing="0" cellpadding="4" bgcolor="${FILL[node.category]}"><tr><td><b>${html(node.title)}</b></td></tr>${rows}</table>`;
    return `${indent}${node.id} [shape=plain, label=<${table}>];`;
  }
  const lines = (node.lines ?? []).map((line) => `<br/><font point-size="9">${html(line)}</font>`).join('');
  const style = node.runtime ? 'rounded,filled,dashed' : 'rounded,filled';
  return `${indent}${node.id} [label=<<b>${html(node.title)}</b>${lines}>, fillcolor=${quote(FILL[node.category])}, style=${quote(style)}];`;
}

function clusterLines(c: DiagramCluster, depth: number): string[] {
  const indent = '  '.repeat(depth);
  const inner = `${indent}  `;
  return [
    `${indent}subgraph cluster_${c.id} {`,
    `${inner}label=${quote(c.label)};`,
    ...(c.fill ? [`${inner}style=filled; fillcolor=${quote(c.fill)};`] : []),
    ...c.nodes.map((n) => nodeLine(n, inner)),
    ...c.clusters.flatMap((child) => clusterLines(child, depth + 1)),
    `${indent}}`,
  ];
}

/** The whole graph: top-level clusters and nodes in the order given, edges sorted and deduplicated. */
export function renderDot(
  title: string,
  clusters: readonly DiagramCluster[],
  nodes: readonly DiagramNode[],
  edges: readonly DiagramEdge[],
): string {
  const edgeLines = new Set<string>();
  for (const edge of edges) {
    const attrs = [
      ...(edge.label ? [`label=${quote(edge.label)}`] : []),
      ...(edge.weak ? ['style=dashed', 'color="#64748b"', 'fontcolor="#64748b"'] : []),
      ...(edge.fromCluster ? [`ltail=cluster_${edge.fromCluster}`] : []),
      ...(edge.toCluster ? [`lhead=cluster_${edge.toCluster}`] : []),
    ];
    edgeLines.add(`  ${edge.from} -> ${edge.to}${attrs.length ? ` [${attrs.join(', ')}]` : ''};`);
  }
  return [
    'digraph architecture {',
    `  graph [label=${quote(title)}, labelloc=t, fontname="Helvetica", fontsize=18, rankdir=LR, newrank=true, compound=true, nodesep=0.25, ranksep=0.6];`,
    '  node [shape=box, fontname="Helvetica", fontsize=11, margin="0.12,0.06"];',
    '  edge [fontname="Helvetica", fontsize=9, color="#334155"];',
    ...nodes.map((n) => nodeLine(n, '  ')),
    ...clusters.flatMap((c) => clusterLines(c, 1)),
    ...[...edgeLines].sort(),
    '}',
    '',
  ].join('\n');
}
