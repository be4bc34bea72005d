@lane:native-first
Feature: Native first
  With the optional pg-boss dashboard bridge disabled, the native control plane alone carries
  diagnosis and action: every native page renders, every page that offers an audited action
  performs it with one audit event, and nothing leads to the absent bridge. These claims are in
  the tested bucket.

  Background:
    Given the reference host of the "native-first" lane is running with the bridge disabled

  Scenario Outline: The <page> page renders as a Powertools-native page
    When "ops-demo" opens the <page> page
    Then it renders as a Powertools-native page

    Examples:
      | page            |
      | overview        |
      | jobs            |
      | job detail      |
      | cron            |
      | cron entry      |
      | workflows       |
      | workflow detail |
      | audit           |
      | forensics       |

  Scenario Outline: <action> on the <page> page acts once, with one audit event
    When "ops-demo" uses <action> on the <page> page with the reason "Native-first lane check"
    Then the control plane confirms the action was done
    And exactly one audit event records <action> by "ops-demo" with that reason

    Examples:
      | page            | action              |
      | jobs            | cancel_all_jobs     |
      | job detail      | retry_job           |
      | cron entry      | run_cron_entry      |
      | workflow detail | retry_workflow_step |

  Scenario: The bridge is not mounted
    When "ops-demo" asks for the pg-boss dashboard bridge
    Then its root, its pages, its data routes, its assets and its write routes answer not found

  Scenario: No native page leads to the bridge
    When "ops-demo" visits every native page
    Then no page links to the bridge or carries its label
