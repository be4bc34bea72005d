@lane:fresh-install
Feature: Fresh install
  A newly generated Koa app, before the library is added, reaches the control plane by running
  the installer and following the installation guide. The installer adds only what the host then
  owns, grants nobody anything, and never overwrites what the host changed. These claims are in
  the tested bucket.

  Background:
    Given the bare host template of the "fresh-install" lane

  Scenario: The installer wires the library in with starter seams that deny everyone
    When the installer runs in a copy of the template
    Then the host depends on koa-jobs-powertools and pg-boss
    And the host owns a starter auth seam that denies everyone, a display policy, its cron entries and a migration script
    And the app mounts the control plane inside a host-owned scope behind its own pipeline
    And the doctor finds repo, auth and displayPolicy in the app

  Scenario: A dry run prints every change and writes nothing
    When the installer runs in a copy of the template as a dry run
    Then it prints the change it would make to each file
    And no file of the host changed

  Scenario: An app the installer does not recognise is left alone, with the lines to add printed
    Given a copy of the template that starts its server in a way the installer does not recognise
    When the installer runs in that copy
    Then the app file is unchanged
    And the installer prints the lines to add by hand and exits asking for that edit

  Scenario: Running the installer again after the guide's edits changes nothing
    Given the template was installed following the installation guide
    When the installer runs in the installed host again
    Then no file of the host changed
    And the installer reports that there is nothing to change

  Scenario: ops-demo pauses nightly_sync on the freshly installed host
    Given the template was installed following the installation guide
    When "ops-demo" signs in to the installed host and pauses "nightly_sync" with the reason "First night on the new install"
    Then the control plane opened on its overview
    And "nightly_sync" is paused by "ops-demo" with that reason
    And exactly one audit event records the pause of "nightly_sync" by "ops-demo" with that reason
