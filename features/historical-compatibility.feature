@lane:historical-compatibility
Feature: Historical compatibility of stored workflows
  Workflows that an earlier library version stored, under semantics version 1, stay explainable
  after the host upgrades, and the upgrade rewrites none of them. An operator learns what each
  one waits for, and which evidence that version never recorded. These claims are in the tested bucket.

  Background:
    Given the workflows that the previous migration set stored under semantics version 1

  Scenario: The upgrade applies the current migrations and rewrites no stored workflow
    When the host is upgraded to the current library and started
    Then every current library migration is applied
    And every stored workflow row has the content it had before the upgrade

  Scenario Outline: A workflow stored <stored as> is explained by what its version recorded
    Given the upgraded host is running over those workflows
    When "ops-demo" opens the workflow that was stored <stored as>
    Then the control plane explains that "<explanation>"
    And it marks what that version did not record as "<evidence>"
    And the explanation derived from its stored rows is the one the page shows

    Examples:
      | stored as              | explanation                                                                | evidence            |
      | waiting                | render_invoices had every dependency completed but was never released      | partial evidence    |
      | retrying               | semantics version 1 did not record when it runs, so that time is unknown   | unknown             |
      | cancelling             | semantics version 1 did not record who asked or why                        | history unavailable |
      | with recovery evidence | after an operator recovered approve_totals                                 | partial evidence    |

  Scenario: Reading the stored workflows leaves every row as it was
    Given the upgraded host is running over those workflows
    When "ops-demo" reads every workflow stored under semantics version 1, in the list and one by one
    Then every stored workflow row has the content it had before the upgrade
