@lane:first-session
Feature: First operator session
  An operator's first session on the reference host: sign in, see what needs an operator first,
  pause a cron entry with a reason, and find the pause in its forensics and in the audit trail.
  A read-only viewer sees every page but cannot act, and a user without access is sent away.
  These claims are in the tested bucket.

  Background:
    Given the reference host of the "first-session" lane is running with its demo operators

  Scenario: Opening the control plane lands ops-demo on the overview
    When "ops-demo" signs in and opens the control plane
    Then the overview is the first page, with what needs an operator first
    And the overview is a Powertools-native page

  Scenario: ops-demo pauses nightly_sync, and forensics and the audit trail record it
    When "ops-demo" pauses "nightly_sync" from the cron surface with the reason "Partner API maintenance tonight"
    Then "nightly_sync" shows as paused by "ops-demo" with that reason
    And the forensics of "nightly_sync" show the pause by "ops-demo" with that reason
    And the audit trail lists exactly one pause of "nightly_sync" by "ops-demo" with that reason
    And the session took every step of the first operator session guide, in the guide's order

  Scenario: The read-only viewer sees every page, with a read-only notice where actions would be
    When "ops-viewer" visits every page of the control plane
    Then every page renders for "ops-viewer"
    And every page that offers actions shows "ops-viewer" a read-only notice and no action

  Scenario Outline: The read-only viewer cannot <action> even by submitting it directly
    When "ops-viewer" submits <action> on <resource> directly
    Then the submission is refused as read-only
    And nothing changed and no audit event was written

    Examples:
      | action           | resource                  |
      | pause_cron_entry | the cron entry nightly_sync |
      | run_cron_entry   | the cron entry hourly_digest |
      | retry_job        | a failed job               |

  Scenario: A user without access is sent back to the host from every page
    When "no-access" visits every page of the control plane
    Then each visit ends on the host's home page
