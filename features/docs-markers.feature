@lane:docs-markers
Feature: Docs markers
  Reviewers read the README, the guides and the feature files as the support contract, so they
  must say what the lanes prove, in the words the pages use. This lane reads the repository and
  the latest proof bundles, and names the file and the disagreement wherever the two part.
  These claims are in the tested bucket.

  Background:
    Given the documentation and the latest proof bundles of this repository

  Scenario: The upgrade guide lists exactly the upgrade-proof lane's actions, in order
    When the guide of the "upgrade-proof" lane is compared with the lane's declared steps
    Then the docs and the lanes agree

  Scenario Outline: The guide of the <lane> lane lists exactly its steps, in order
    When the guide of the "<lane>" lane is compared with the lane's declared steps
    Then the docs and the lanes agree

    Examples:
      | lane          |
      | fresh-install |
      | first-session |

  Scenario: Every lane the docs name has a profile, a feature file and a passing proof bundle
    When the lanes named in the README and the guides are looked up
    Then the docs and the lanes agree

  Scenario: The support-truth vocabulary is spelled one way in the README, guides, features and pages
    When the README, the guides, the features and the pages are read for the support-truth vocabulary
    Then the docs and the lanes agree

  Scenario: Every TypeScript snippet in the README and the guides type-checks against the library
    When the TypeScript snippets of the README and the guides are type-checked
    Then the docs and the lanes agree

  Scenario: Every internal link and anchor in the README and the guides resolves
    When the internal links of the README and the guides are followed
    Then the docs and the lanes agree
