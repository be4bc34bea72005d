import { existsSync } from 'node:fs';
import path from 'node:path';

import type { GuideSteps, LaneDeclaration } from '../../../lanes/lane-declaration';
import type { CheckResult, Disagreement } from './disagreement';
import { findNumberedListAfter, type MarkdownDocument, type MarkdownHeading, plainText, readMarkdown } from './markdown-document';

/** A lane that names the guide which lists its steps, with the steps in the lane's order. */
interface LaneWithGuide {
  lane: string;
  guide: GuideSteps;
  steps: string[];
}

export function lanesWithGuides(lanes: readonly LaneDeclaration[]): LaneWithGuide[] {
  return lanes.flatMap((lane): LaneWithGuide[] => {
    if ('upgradeActions' in lane) return [{ lane: lane.name, guide: lane.guide, steps: lane.upgradeActions.map((action) => action.description) }];
    if ('steps' in lane) return [{ lane: lane.name, guide: lane.guide, steps: lane.steps.map((step) => step.description) }];
    return [];
  });
}

/**
 * Compares the numbered list under the guide's heading with the steps the lane declares: the
 * same steps, worded the same apart from Markdown, in the same order.
 */
export function checkGuideSteps(root: string, lane: LaneWithGuide): CheckResult {
  const declaredIn = `lanes/${lane.lane}/lane.ts`;
  const file = lane.guide.file;
  if (!existsSync(path.join(root, file))) {
    return fail({ file, line: null, message: `is missing; the ${lane.lane} lane (${declaredIn}) says it lists the lane's steps.` });
  }

  const document = readMarkdown(root, file);
  const heading = document.headings.find((candidate) => candidate.text === lane.guide.heading);
  if (!heading) {
    return fail({ file, line: null, message: `has no heading "${lane.guide.heading}", under which the ${lane.lane} lane (${declaredIn}) expects its steps. Restore the heading or change the lane's guide.heading.` });
  }
  const items = findNumberedListAfter(document, heading);
  if (!items) {
    return fail({ file, line: heading.line, message: `has no numbered list under "${lane.guide.heading}"; the ${lane.lane} lane (${declaredIn}) declares ${lane.steps.length} steps.` });
  }

  // Markdown formatting and spacing do not count as a difference in wording.
  const guideSteps = items.map((item) => plainText(item.text));
  const declared = lane.steps.map(plainText);
  const disagreements: Disagreement[] = [];
  const count = Math.max(guideSteps.length, declared.length);
  for (let index = 0; index < count; index += 1) {
    const number = index + 1;
    const line = items[index]?.line ?? items[items.length - 1].line;
    const written = guideSteps[index];
    const expected = declared[index];
    if (written === expected) continue;

    if (expected === undefined) {
      disagreements.push({ file, line, message: `step ${number} "${written}" is not a step of the ${lane.lane} lane, which declares ${declared.length} (${declaredIn}).` });
    } else if (written === undefined) {
      disagreements.push({ file, line, message: `lists ${guideSteps.length} steps; the ${lane.lane} lane's step ${number} "${expected}" is missing (${declaredIn}).` });
    } else if (declared.includes(written)) {
      disagreements.push({ file, line, message: `step ${number} "${written}" is the ${lane.lane} lane's step ${declared.indexOf(written) + 1}, so the guide lists the steps out of order; the lane's step ${number} is "${expected}" (${declaredIn}).` });
    } else {
      disagreements.push({ file, line, message: `step ${number} reads "${written}", but the ${lane.lane} lane declares "${expected}" (${declaredIn}).` });
    }
  }
  disagreements.push(...checkNumberedSections(document, lane, declaredIn));
  return { checked: count, disagreements };
}

/**
 * Checks the guide's numbered sections, `### 3. Edit the auth seam`, which explain the steps one
 * by one: they count up from 1 without a gap and do not outnumber the lane's steps, so moving
 * a section out of order shows.
 */
function checkNumberedSections(document: MarkdownDocument, lane: LaneWithGuide, declaredIn: string): Disagreement[] {
  const sections = document.headings
    .map((heading) => ({ heading, number: /^(\d+)\.\s/.exec(heading.text)?.[1] }))
    .filter((section): section is { heading: MarkdownHeading; number: string } => section.number !== undefined);

  return sections.flatMap(({ heading, number }, index) => {
    if (Number(number) === index + 1 && index < lane.steps.length) return [];
    return [{ file: document.file, line: heading.line, message: `the section "${heading.text}" is numbered ${number}, but it is the guide's numbered section ${index + 1} and the ${lane.lane} lane declares ${lane.steps.length} steps (${declaredIn}); number the sections in the order of the steps.` }];
  });
}

function fail(disagreement: Disagreement): CheckResult {
  return { checked: 0, disagreements: [disagreement] };
}
