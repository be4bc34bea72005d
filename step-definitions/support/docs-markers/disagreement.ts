/** A place where the docs and the lanes disagree, with what a reader must change. */
export interface Disagreement {
  /** Relative to the repository root, with forward slashes. */
  file: string;
  /** 1-based, or null when the disagreement is about the whole file (a file that is missing, say). */
  line: number | null;
  message: string;
}

/** The outcome of one check. `checked` counts the items compared, so a check that read nothing shows. */
export interface CheckResult {
  checked: number;
  disagreements: Disagreement[];
}

export function formatDisagreement(disagreement: Disagreement): string {
  const place = disagreement.line === null ? disagreement.file : `${disagreement.file}:${disagreement.line}`;
  return `${place}: ${disagreement.message}`;
}
