@lane:bridge
Feature: Read-only pg-boss dashboard bridge
  A host may mount pg-boss's own dashboard beside the native control plane, so operators can
  look inside pg-boss without leaving it. The bridge is for inspection only: every change still
  goes through the native control plane's audited actions. These claims are in the tested bucket.

  Scenario: ops-demo inspects a queue and its jobs in the bridge
    Given the reference host with the pg-boss dashboard bridge enabled
    When "ops-demo" opens the bridge from the native jobs of queue "emails"
    Then the bridge shows queue "emails" with its created jobs
    And the page is labelled "pg-boss dashboard bridge" and "Inspection only"
    And the page says that the host's display policy does not reach inside it
    And the bridge lists the host's queues "emails", "nightly_sync" and "digest"

  Scenario Outline: The bridge refuses a direct attempt to <write> and pg-boss keeps its rows
    Given the reference host with the pg-boss dashboard bridge enabled
    When "ops-demo" submits the dashboard's "<write>" straight to the bridge
    Then the bridge refuses it as read-only
    And the jobs of queue "emails", the queues and the schedules are unchanged

    Examples:
      | write                  |
      | retry a failed job     |
      | cancel a created job   |
      | resume a cancelled job |
      | delete a completed job |
      | send a job             |
      | create a queue         |
      | create a schedule      |
      | delete a schedule      |

  Scenario: A viewer without the bridge grant is sent to the native overview
    Given the reference host with the pg-boss dashboard bridge enabled
    When "ops-viewer" opens the bridge
    Then "ops-viewer" is on the native overview

  Scenario: An anonymous visitor is sent to the host's sign-in
    Given the reference host with the pg-boss dashboard bridge enabled
    When an anonymous visitor opens the bridge
    Then the visitor is on the host's sign-in page

  Scenario: Native audited actions still work beside the bridge
    Given the reference host with the pg-boss dashboard bridge enabled
    When "ops-demo" cancels a created job of queue "emails" on the native job page with the reason "Duplicate welcome email"
    Then that job is cancelled
    And one audit event records "cancel_job" on that job by "ops-demo" with that reason

  Scenario: Without the bridge there is nothing to open and the jobs pages do not link to it
    Given the reference host with the pg-boss dashboard bridge disabled
    When "ops-demo" opens the bridge
    Then the bridge is not found
    And the native jobs of queue "emails" and their job pages do not link to the bridge

  Scenario: A host that enables the bridge without the dashboard package stops at start
    Given the reference host with the pg-boss dashboard bridge enabled
    When the host starts again with the bridge enabled and without the @pg-boss/dashboard package
    Then the host stops at start with an error that names "@pg-boss/dashboard" and "npm install @pg-boss/dashboard"
