@lane:doctor
Feature: Doctor
  jobs-powertools doctor checks a host's seams, mount, database, migrations, pg-boss schema,
  scheduler, bridge dependency and mount reachability, one line each with the fix for a failure.
  It passes on the running reference host and fails, naming the seam, on a host that lacks a
  required seam. These claims are in the tested bucket.

  Background:
    Given the reference host of the "doctor" lane is running

  Scenario: The doctor passes on the reference host
    When the doctor checks the reference host
    Then every check passes
    And the doctor exits with success

  Scenario Outline: The doctor fails on a host without <seam> and names it
    Given a copy of the reference host whose app leaves out <seam>
    When the doctor checks that copy
    Then only the check of the <seam> seam fails, with its fix
    And the doctor exits with failure

    Examples:
      | seam          |
      | repo          |
      | auth          |
      | displayPolicy |
