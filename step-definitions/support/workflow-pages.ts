import type { Page } from 'playwright';
import { expect } from 'playwright/test';

/** Follows the operator's path to a workflow: overview, the Workflows tab, a name filter, the workflow's link. */
export async function openWorkflowByName(page: Page, mountPath: string, workflowName: string): Promise<void> {
  await page.goto(`${mountPath}/`);
  await page.getByRole('navigation', { name: 'Control plane' }).getByRole('link', { name: 'Workflows' }).click();
  await page.getByLabel('Name contains').fill(workflowName);
  await page.getByRole('button', { name: 'Filter' }).click();
  await page.getByRole('table', { name: 'Workflows' }).getByRole('link', { name: workflowName, exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Workflow ${workflowName}`);
}

/** Reads an explanation as the page shows it, without the evidence label that follows the sentence. */
export async function readExplanation(page: Page, testId: 'workflow-explanation' | 'step-explanation', step?: string): Promise<string> {
  const scope = step ? page.locator(`section[data-step="${step}"]`) : page.locator('main');
  return scope
    .getByTestId(testId)
    .first()
    .evaluate((element) => {
      const copy = element.cloneNode(true) as Element;
      for (const label of copy.querySelectorAll('.evidence')) label.remove();
      return (copy.textContent ?? '').trim();
    });
}
