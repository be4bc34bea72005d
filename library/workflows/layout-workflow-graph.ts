import type { WorkflowStepRow } from './workflow-rows';
import { isWorkflowState, workflowStates } from './workflow-states';

/** Fill and text colour of a node in each state. SVG presentation attributes, so no inline style is needed. */
export const stateColours: Record<string, { fill: string; text: string }> = {
  waiting: { fill: '#e3e8f0', text: '#1d2433' },
  runnable: { fill: '#d4e4fb', text: '#1d2433' },
  executing: { fill: '#2f6fdb', text: '#ffffff' },
  retrying: { fill: '#f6c76b', text: '#1d2433' },
  blocked: { fill: '#b3261e', text: '#ffffff' },
  cancelling: { fill: '#f0c2be', text: '#1d2433' },
  cancelled: { fill: '#6b7280', text: '#ffffff' },
  completed: { fill: '#2f7d32', text: '#ffffff' },
  recovered: { fill: '#6a3fb5', text: '#ffffff' },
  unknown: { fill: '#ffffff', text: '#1d2433' },
};

export interface GraphNode {
  name: string;
  /** The name shortened to fit the box; the full name is in the node's title. */
  label: string;
  state: string;
  x: number;
  y: number;
  fill: string;
  text: string;
}

export interface GraphLayout {
  width: number;
  height: number;
  nodeWidth: number;
  nodeHeight: number;
  nodes: GraphNode[];
  edges: Array<{ from: string; to: string; path: string }>;
  legend: Array<{ state: string; fill: string; text: string }>;
}

const nodeWidth = 170;
const nodeHeight = 46;
const columnGap = 56;
const rowGap = 18;
const margin = 12;
const maximumLabelLength = 22;

/**
 * Lays out a workflow's steps left to right: each step in the column after its deepest
 * dependency, in plan order within a column. Edges run from a dependency's right edge to its
 * dependent's left edge. A dependency on a step the workflow does not store draws no edge.
 */
export function layoutWorkflowGraph(steps: WorkflowStepRow[]): GraphLayout {
  const byName = new Map(steps.map((step) => [step.name, step]));
  const depths = new Map<string, number>();
  const depthOf = (name: string, visiting: Set<string>): number => {
    const known = depths.get(name);
    if (known !== undefined) return known;
    // Stored rows are validated at insert, but a cycle in hand-edited rows must not recurse forever.
    if (visiting.has(name)) return 0;
    visiting.add(name);
    const dependencies = byName.get(name)?.depends_on.filter((dependency) => byName.has(dependency)) ?? [];
    const depth = dependencies.length === 0 ? 0 : 1 + Math.max(...dependencies.map((dependency) => depthOf(dependency, visiting)));
    visiting.delete(name);
    depths.set(name, depth);
    return depth;
  };
  for (const step of steps) depthOf(step.name, new Set());

  const rowsInColumn = new Map<number, number>();
  const nodes: GraphNode[] = steps.map((step) => {
    const column = depths.get(step.name) ?? 0;
    const row = rowsInColumn.get(column) ?? 0;
    rowsInColumn.set(column, row + 1);
    const colours = stateColours[isWorkflowState(step.state) ? step.state : 'unknown'];
    return {
      name: step.name,
      label: step.name.length > maximumLabelLength ? `${step.name.slice(0, maximumLabelLength - 1)}…` : step.name,
      state: isWorkflowState(step.state) ? step.state : 'unknown',
      x: margin + column * (nodeWidth + columnGap),
      y: margin + row * (nodeHeight + rowGap),
      fill: colours.fill,
      text: colours.text,
    };
  });

  const position = new Map(nodes.map((node) => [node.name, node]));
  const edges = steps.flatMap((step) =>
    step.depends_on
      .filter((dependency) => position.has(dependency))
      .map((dependency) => {
        const from = position.get(dependency)!;
        const to = position.get(step.name)!;
        const startX = from.x + nodeWidth;
        const startY = from.y + nodeHeight / 2;
        const endX = to.x;
        const endY = to.y + nodeHeight / 2;
        const bend = (endX - startX) / 2;
        return { from: dependency, to: step.name, path: `M ${startX} ${startY} C ${startX + bend} ${startY}, ${endX - bend} ${endY}, ${endX - 6} ${endY}` };
      }),
  );

  const columns = Math.max(1, ...[...rowsInColumn.keys()].map((column) => column + 1));
  const rows = Math.max(1, ...rowsInColumn.values());
  const present = new Set(nodes.map((node) => node.state));
  return {
    width: margin * 2 + columns * nodeWidth + (columns - 1) * columnGap,
    height: margin * 2 + rows * nodeHeight + (rows - 1) * rowGap,
    nodeWidth,
    nodeHeight,
    nodes,
    edges,
    legend: [...workflowStates, 'unknown'].filter((state) => present.has(state)).map((state) => ({ state, ...stateColours[state] })),
  };
}
