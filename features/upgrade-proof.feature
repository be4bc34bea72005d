@lane:upgrade-proof
Feature: Upgrade proof
  A host that already runs the control plane at /ops/jobs with repo and auth, the previous
  migrations and no display policy follows the documented upgrade actions and reaches the
  current contract. This is the one supported upgrade lane; its claims are in the supported bucket.

  Background:
    Given the source host of the "upgrade-proof" lane, with its database at the previous migrations

  Scenario: The source host has every seam the supported lane starts from
    When the source host is inspected
    Then it is in the "supported" bucket

  Scenario Outline: A source host without <seam> is best-effort, not supported
    Given the source host has lost its <seam>
    When the source host is inspected
    Then it is in the "best-effort" bucket with "<seam>" named as missing

    Examples:
      | seam                |
      | repo                |
      | auth                |
      | mount               |
      | previous migrations |

  Scenario: The current library refuses the source host until it has a display policy
    When the source host starts with the current library before the upgrade
    Then it stops at start with an error that names "displayPolicy"
    And the source database is unchanged

  Scenario: The upgrade keeps every row the source database held
    When the upgrade actions are applied in the documented order
    Then every row of the source database is still there with the same content
    And no library migration is pending

  Scenario: A read-only viewer who submits a pause directly is refused and nothing changes
    Given the upgraded source host is running
    When the read-only viewer "ops-viewer" submits a pause of "nightly_sync" directly
    Then the request is refused as read-only
    And "nightly_sync" keeps its state and the audit trail is unchanged

  Scenario: A reason that is too short is rejected and nothing changes
    Given the upgraded source host is running
    When "ops-demo" tries to pause "nightly_sync" with the reason "oops"
    Then the pause is rejected with a message that asks for a longer reason
    And "nightly_sync" keeps its state and the audit trail is unchanged

  Scenario: An entry paused under 0.1.0 shows its pause reason as history unavailable
    Given the upgraded source host is running
    When "ops-demo" opens "weekly_report" on the native cron surface
    Then "weekly_report" shows as paused by "ops-lead" with the pause reason history unavailable

  Scenario: An audit event written under 0.1.0 without a reason shows it as history unavailable
    Given the upgraded source host is running
    When "ops-demo" reads the audit trail of the upgraded host
    Then the 0.1.0 "resume_cron_entry" event on "nightly_sync" shows its reason as history unavailable

  Scenario: Confirming the same resume twice resumes weekly_report once
    Given the upgraded source host is running
    When "ops-demo" confirms a resume of "weekly_report" twice with the reason "Ledger fix shipped on Monday"
    Then "weekly_report" is active
    And exactly one audit event records "resume_cron_entry" on "weekly_report" by "ops-demo"

  Scenario: ops-demo pauses nightly_sync through the native cron surface after the upgrade
    Given the upgraded source host is running
    When "ops-demo" pauses "nightly_sync" on the native cron surface with the reason "CRM maintenance window tonight"
    Then the native cron surface shows "nightly_sync" paused by "ops-demo" with that reason
    And one audit event records "pause_cron_entry" on "nightly_sync" by "ops-demo" with that reason
    And the audit page lists that event
