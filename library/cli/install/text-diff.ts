/**
 * Formats a unified diff of two texts by lines, with three lines of context, the way
 * `diff -u` prints it. An empty `before` is a new file. Returns '' when the texts are equal.
 */
export function formatUnifiedDiff(fileName: string, before: string | null, after: string): string {
  if (before === after) return '';
  const oldLines = splitLines(before ?? '');
  const newLines = splitLines(after);
  const operations = diffLines(oldLines, newLines);
  const hunks = groupHunks(operations, 3);

  const header = [`--- ${before === null ? '/dev/null' : `a/${fileName}`}`, `+++ b/${fileName}`];
  return [...header, ...hunks.flatMap(formatHunk)].join('\n') + '\n';
}

interface Operation {
  kind: ' ' | '-' | '+';
  line: string;
  oldNumber: number;
  newNumber: number;
}

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Longest-common-subsequence line diff; app files are small enough for its quadratic table. */
function diffLines(oldLines: string[], newLines: string[]): Operation[] {
  const rows = oldLines.length + 1;
  const columns = newLines.length + 1;
  const lengths = new Uint32Array(rows * columns);
  for (let i = oldLines.length - 1; i >= 0; i -= 1) {
    for (let j = newLines.length - 1; j >= 0; j -= 1) {
      lengths[i * columns + j] = oldLines[i] === newLines[j]
        ? lengths[(i + 1) * columns + j + 1] + 1
        : Math.max(lengths[(i + 1) * columns + j], lengths[i * columns + j + 1]);
    }
  }

  const operations: Operation[] = [];
  let i = 0;
  let j = 0;
  while (i < oldLines.length || j < newLines.length) {
    if (i < oldLines.length && j < newLines.length && oldLines[i] === newLines[j]) {
      operations.push({ kind: ' ', line: oldLines[i], oldNumber: i + 1, newNumber: j + 1 });
      i += 1;
      j += 1;
    } else if (i < oldLines.length && (j === newLines.length || lengths[(i + 1) * columns + j] >= lengths[i * columns + j + 1])) {
      // On a tie the removal comes first, so a replaced line reads as - then +, as diff -u prints it.
      operations.push({ kind: '-', line: oldLines[i], oldNumber: i + 1, newNumber: j });
      i += 1;
    } else {
      operations.push({ kind: '+', line: newLines[j], oldNumber: i, newNumber: j + 1 });
      j += 1;
    }
  }
  return operations;
}

/** Groups changes with `context` unchanged lines around them; changes closer than that share a hunk. */
function groupHunks(operations: Operation[], context: number): Operation[][] {
  const ranges: Array<[number, number]> = [];
  operations.forEach((operation, index) => {
    if (operation.kind === ' ') return;
    const start = Math.max(index - context, 0);
    const end = Math.min(index + context, operations.length - 1);
    const last = ranges[ranges.length - 1];
    if (last && start <= last[1] + 1) {
      last[1] = end;
    } else {
      ranges.push([start, end]);
    }
  });
  return ranges.map(([start, end]) => operations.slice(start, end + 1));
}

function formatHunk(hunk: Operation[]): string[] {
  const oldLines = hunk.filter((operation) => operation.kind !== '+');
  const newLines = hunk.filter((operation) => operation.kind !== '-');
  // With no lines on one side, the start is the line after which the other side's lines go.
  const oldStart = oldLines.length > 0 ? oldLines[0].oldNumber : hunk[0].oldNumber;
  const newStart = newLines.length > 0 ? newLines[0].newNumber : hunk[0].newNumber;
  return [`@@ -${oldStart},${oldLines.length} +${newStart},${newLines.length} @@`, ...hunk.map((operation) => `${operation.kind}${operation.line}`)];
}
